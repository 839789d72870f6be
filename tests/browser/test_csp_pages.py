"""Pages under the strict Content-Security-Policy (no inline script or style): the scripts that moved to
static/js still work, the admin works, and the inbox marks a reminder read. Any CSP violation fails the test
(tests/browser/conftest.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbox.scan import reminders_scan
from tests.factories import enrol

pytestmark = pytest.mark.browser


def test_adverse_event_form_shows_the_grades_of_the_chosen_term(login, site, shoot):
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=20), today=today)
    page = login("nurse")
    page.goto(f"{site['url']}/safety/patients/{patient.study_id}/adverse-events/new/")
    expect(page.locator("#other-term")).to_be_hidden()
    page.get_by_label("CTCAE v5.0 term").select_option("Diarrhea")
    expect(page.get_by_test_id("grade-choice")).to_contain_text("Increase of ≥7 stools per day")
    page.get_by_label("CTCAE v5.0 term").select_option("__other__")
    expect(page.locator("#other-term")).to_be_visible()
    shoot("csp-ae-form")


def test_nurse_reads_and_marks_a_reminder_in_the_inbox(login, site, shoot):
    today = timezone.localdate()
    enrol(site["users"]["nurse"], start=today - timedelta(days=6), today=today)
    reminders_scan(today=today)
    page = login("nurse")
    page.get_by_test_id("inbox-link").click()
    expect(page).to_have_url(f"{site['url']}/inbox/")
    first = page.get_by_test_id("inbox").locator(".list-group-item").first
    expect(first).to_contain_text("ITP-001: ")
    unread = int(page.get_by_test_id("unread-count").inner_text())
    shoot("csp-inbox-nurse")
    first.get_by_role("button", name="Mark read").click()
    if unread > 1:
        expect(page.get_by_test_id("unread-count")).to_have_text(str(unread - 1))
    else:
        expect(page.get_by_test_id("unread-count")).to_have_count(0)
    page.goto(f"{site['url']}/safety/inbox/")  # the old address still leads to the inbox
    expect(page).to_have_url(f"{site['url']}/inbox/")


def test_data_manager_uses_the_admin_under_the_policy(login, site, shoot):
    page = login("data_manager")
    page.goto(f"{site['url']}/admin/")
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    page.get_by_role("link", name="Users").click()
    page.locator("#result_list").get_by_role("link", name="nurse", exact=True).click()
    expect(page.locator(".field-username .readonly")).to_have_text("nurse")  # read-only: changes go through accounts/
    shoot("csp-admin-user")
