"""A nurse pages through an inbox longer than a page, and a reminder marked read on page 2 leaves her on page 2."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbox import selectors
from inbox.models import Reminder
from tests.factories import enrol

pytestmark = pytest.mark.browser


def test_the_inbox_pages_through_its_reminders(login, site, shoot, monkeypatch):
    monkeypatch.setattr(selectors, "INBOX_SIZE", 2)
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=3), today=today)
    Reminder.objects.bulk_create(
        Reminder(patient=patient, kind=Reminder.Kind.VISIT_DUE, due_date=today + timedelta(days=60 + n),
                 audience=Reminder.Audience.NURSE,
                 params={"visit": "month3", "closes": (today + timedelta(days=74 + n)).isoformat()}) for n in range(3))

    page = login("nurse")
    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_test_id("unread-count")).to_have_text("2+")
    pages = page.get_by_test_id("inbox-pages").first
    expect(pages).to_contain_text("1–2 of 3")
    expect(page.get_by_test_id("inbox").locator("[data-kind=visit_due]")).to_have_count(2)
    shoot("inbox-pages")
    pages.get_by_role("link", name="Next").click()
    expect(page.get_by_test_id("inbox-pages").first).to_contain_text("page 2 of 2")
    oldest = page.get_by_test_id("inbox").locator("[data-kind=visit_due]")
    expect(oldest).to_have_count(1)
    oldest.get_by_role("button", name="Mark read").click()
    expect(page.get_by_test_id("inbox-pages").first).to_contain_text("page 2 of 2")  # back where it was read
    expect(page.get_by_test_id("inbox").locator("[data-kind=visit_due]").get_by_role("button")).to_have_count(0)
