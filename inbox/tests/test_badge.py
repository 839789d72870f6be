"""The navbar badge reads a bounded number of reminders, however many the study has.

Before: every page a nurse opened loaded all of the role's unread reminders and worked out the resolution of
each (at 10,000 patients after one scan: 23,930 reminders, about 1 s per page). The badge now counts among the
newest INBOX_SIZE unread reminders, the ones the inbox lists, and says "N+" when older unread ones lie beyond."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from inbox import selectors
from inbox.models import Reminder, ReminderRead
from inbox.selectors import Unread, unread_badge, unread_count
from itp_trial.roles import NURSE, PHYSICIAN
from tests.factories import enrol, record

pytestmark = pytest.mark.django_db
DAY0 = date(2026, 3, 2)


def due_reminders(patient, count: int) -> list[Reminder]:
    """`count` visit reminders for days no visit was recorded on (none resolved)."""
    return Reminder.objects.bulk_create(
        Reminder(patient=patient, kind=Reminder.Kind.VISIT_DUE, due_date=DAY0 + timedelta(days=100 + n),
                 audience=Reminder.Audience.NURSE) for n in range(count))


@pytest.mark.parametrize(("size", "unread", "expected", "text"), [
    (5, 0, Unread(0), "0"),
    (5, 4, Unread(4), "4"),
    (5, 5, Unread(5), "5"),  # exactly the window: nothing beyond
    (5, 6, Unread(5, more=True), "5+"),
    (5, 40, Unread(5, more=True), "5+"),
])
def test_the_badge_counts_within_the_inbox_window(monkeypatch, nurse, size, unread, expected, text):
    monkeypatch.setattr(selectors, "INBOX_SIZE", size)
    due_reminders(enrol(nurse, start=DAY0), unread)
    badge = unread_badge(user=nurse, role=NURSE)
    assert badge == expected and str(badge) == text


def test_read_and_resolved_reminders_are_not_counted(monkeypatch, nurse):
    monkeypatch.setattr(selectors, "INBOX_SIZE", 3)
    patient = enrol(nurse, start=DAY0)
    *_, newest = due_reminders(patient, 5)
    ReminderRead.objects.create(reminder=newest, user=nurse)
    assert unread_badge(user=nurse, role=NURSE) == Unread(3, more=True)  # 4 unread: the newest 3, one beyond
    Reminder.objects.filter(due_date__lt=DAY0 + timedelta(days=102)).delete()
    assert unread_badge(user=nurse, role=NURSE) == Unread(2)
    Reminder.objects.create(patient=patient, kind=Reminder.Kind.VISIT_DUE, audience=Reminder.Audience.NURSE,
                            due_date=patient.slots.get(code="week1").target_date)
    assert unread_badge(user=nurse, role=NURSE) == Unread(3)
    record(patient, nurse, "week1", day=7, platelets=40)
    assert unread_badge(user=nurse, role=NURSE) == Unread(2)  # resolved: listed in the inbox, not counted


def test_the_badge_reads_the_same_queries_and_rows_for_few_and_many(monkeypatch, nurse,
                                                                    django_assert_max_num_queries):
    monkeypatch.setattr(selectors, "INBOX_SIZE", 10)
    patient = enrol(nurse, start=DAY0)
    due_reminders(patient, 3)
    with django_assert_max_num_queries(3) as few:
        assert unread_badge(user=nurse, role=NURSE) == Unread(3)
    Reminder.objects.all().delete()
    due_reminders(patient, 300)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert unread_badge(user=nurse, role=NURSE) == Unread(10, more=True)
    assert "LIMIT 11" in many.captured_queries[0]["sql"]


def test_a_role_without_reminders_asks_nothing(physician, nurse, django_assert_num_queries):
    due_reminders(enrol(nurse, start=DAY0), 3)
    with django_assert_num_queries(0):
        assert unread_badge(user=physician, role=None) == Unread(0)
    assert unread_badge(user=physician, role=PHYSICIAN) == Unread(0)
    assert unread_count(user=nurse) == 3


def test_the_pages_show_the_window_and_page_through_the_rest(monkeypatch, client, nurse,
                                                            django_assert_max_num_queries):
    monkeypatch.setattr(selectors, "INBOX_SIZE", 4)
    reminders = due_reminders(enrol(nurse, start=DAY0), 6)
    newest_first = [r.pk for r in reversed(reminders)]
    client.force_login(nurse)
    first = client.get(reverse("inbox:inbox")).content.decode()
    assert 'data-testid="unread-count">4+<' in first
    assert 'data-testid="inbox-pages"' in first and "1–4 of 6" in first and "page 1 of 2" in first
    assert [int(pk) for pk in re.findall(r'name="reminder" value="(\d+)"', first)] == newest_first[:4]
    with django_assert_max_num_queries(20):
        second = client.get(reverse("inbox:inbox"), {"page": 2}).content.decode()
    assert [int(pk) for pk in re.findall(r'name="reminder" value="(\d+)"', second)] == newest_first[4:]
    assert "5–6 of 6" in second
    answer = client.post(reverse("inbox:inbox"), {"reminder": newest_first[5], "page": "2"})
    assert answer.status_code == 302 and answer["Location"] == reverse("inbox:inbox") + "?page=2"
    assert ReminderRead.objects.filter(reminder_id=newest_first[5], user=nurse).exists()


@pytest.mark.parametrize("page", ["", "x", "-1", "1" * 12, "２"])
def test_a_hostile_page_number_leads_back_to_the_inbox(client, nurse, page):
    reminder, = due_reminders(enrol(nurse, start=DAY0), 1)
    client.force_login(nurse)
    answer = client.post(reverse("inbox:inbox"), {"reminder": reminder.pk, "page": page})
    assert answer.status_code == 302 and answer["Location"] == reverse("inbox:inbox")
    assert client.get(reverse("inbox:inbox"), {"page": page}).status_code == 200
