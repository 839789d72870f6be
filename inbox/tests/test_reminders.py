"""The reminder scan: what it finds, idempotent by its unique key, fixed queries, inbox, email, command."""

import json
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dosing.services import DoseValues, dose_change_record, sirolimus_stop
from inbox.models import Reminder
from inbox.scan import reminders_email_pending, reminders_scan
from inbox.selectors import inbox, unread_count
from inbox.services import reminder_mark_read
from safety.services import LabInput
from safety.tests.builders import alt, bulk_patients, lab
from tests.factories import enrol

pytestmark = pytest.mark.django_db
DAY0 = date(2026, 3, 2)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def all_panels() -> list[LabInput]:
    return [alt(20), LabInput("total_cholesterol", D(4), "mmol/L"), LabInput("creatinine", D(70), "µmol/L")]


def kinds() -> list[tuple]:
    return sorted(Reminder.objects.values_list("kind", "due_date"))


def test_scan_finds_due_labs_visits_and_troughs_once(nurse):
    patient = enrol(nurse, start=DAY0)
    dose_change_record(patient=patient, values=DoseValues(start_date=DAY0, mg_per_day=D(2), phase="start"),
                       user=nurse, today=DAY0)
    lab(patient, nurse, on=DAY0, values=[alt(20)])
    assert reminders_scan(today=day(6)) >= 2
    found = kinds()
    assert ("visit_due", day(7)) in found  # week 1 window opened on day 5
    assert any(kind == "trough_due" for kind, _ in found)  # dosing.due.troughs_due: week 1 check
    assert ("lab_overdue", DAY0) in found  # lipids and kidney were not drawn at baseline
    assert reminders_scan(today=day(6)) == 0  # a second run creates nothing
    assert len(kinds()) == len(found)


@pytest.mark.parametrize("offset, expected", [(10, None), (11, "lab_due"), (14, "lab_due"), (17, "lab_due"),
                                              (18, "lab_overdue")])
def test_lab_reminders_at_the_window_edges(nurse, offset, expected):
    patient = enrol(nurse, start=DAY0)
    lab(patient, nurse, on=DAY0, values=all_panels())
    with time_machine.travel(day(offset), tick=False):
        reminders_scan(today=day(offset))
    labs = [(k, d) for k, d in kinds() if k.startswith("lab")]
    assert labs == ([] if expected is None else [(expected, day(14))])


def test_due_then_overdue_are_two_reminders_and_never_repeated(nurse):
    patient = enrol(nurse, start=DAY0)
    lab(patient, nurse, on=DAY0, values=[alt(20)])
    for offset in (11, 12, 17, 18, 19):
        reminders_scan(today=day(offset))
    rows = Reminder.objects.filter(patient=patient, kind__startswith="lab", due_date=day(14))
    assert sorted(rows.values_list("kind", flat=True)) == ["lab_due", "lab_overdue"]


def test_no_lab_reminders_after_one_month_past_the_stop(nurse):
    patient = enrol(nurse, start=DAY0)
    dose_change_record(patient=patient, values=DoseValues(start_date=DAY0, mg_per_day=D(2), phase="start"),
                       user=nurse, today=DAY0)
    sirolimus_stop(patient=patient, stop_date=day(42), reason="no response", user=nurse, today=day(42))
    lab(patient, nurse, on=day(56), values=all_panels(), today=day(56))
    reminders_scan(today=day(67))
    assert ("lab_due", day(70)) in kinds()  # day 70 = stop + 28 days: still within the month after stopping
    lab(patient, nurse, on=day(70), values=all_panels(), today=day(70))
    before = Reminder.objects.filter(kind__startswith="lab").count()
    reminders_scan(today=day(81))  # the day-84 slot is beyond stop + 28 days
    reminders_scan(today=day(95))
    assert Reminder.objects.filter(kind__startswith="lab").count() == before


def test_scan_queries_do_not_grow_with_patients(nurse):
    bulk_patients(10, nurse, start=DAY0, prefix="A")
    with CaptureQueriesContext(connection) as small:
        created_small = reminders_scan(today=day(20))
    bulk_patients(990, nurse, start=DAY0, prefix="B")
    with CaptureQueriesContext(connection) as large:
        created_large = reminders_scan(today=day(20))
    assert created_small > 0 and created_large > 10 * created_small
    assert len(small.captured_queries) == len(large.captured_queries), (
        [q["sql"][:80] for q in small.captured_queries], [q["sql"][:80] for q in large.captured_queries])
    # 12 reads (each source's patients, courses, levels, labs), one statement for the reminders and their e-mails,
    # the savepoint and its release
    assert len(large.captured_queries) <= 15
    assert not [q["sql"][:120] for q in large.captured_queries if " IN (" in q["sql"]]  # no list of ids sent back
    print(f"scan queries: {len(small.captured_queries)} at 10 patients, {len(large.captured_queries)} at 1,000")


def test_inbox_is_role_appropriate_with_unread_count(nurse, physician, monitor, client):
    patient = enrol(nurse, start=DAY0)
    lab(patient, nurse, on=day(14), values=[alt(100)])  # proposal → physicians
    reminders_scan(today=day(6))  # visits/labs → nurses
    assert {r.audience for r in inbox(user=nurse)} == {"nurse"}
    assert {r.kind for r in inbox(user=physician)} == {"ae_proposed"}
    assert inbox(user=monitor) == [] and unread_count(user=monitor) == 0
    assert unread_count(user=physician) == 1
    reminder_mark_read(reminder=inbox(user=physician)[0], user=physician)
    reminder_mark_read(reminder=inbox(user=physician)[0], user=physician)  # idempotent
    assert unread_count(user=physician) == 0 and inbox(user=physician)[0].is_read
    client.force_login(nurse)
    page = client.get(reverse("inbox:inbox")).content.decode()
    assert f'data-testid="unread-count">{unread_count(user=nurse)}<' in page


def test_email_goes_to_the_audience_once(nurse, physician, users):
    nurse.email, physician.email = "nurse@example.org", "doc@example.org"
    nurse.save()
    physician.save()
    patient = enrol(nurse, start=DAY0)
    lab(patient, nurse, on=day(14), values=[alt(100)])
    reminders_scan(today=day(14))
    sent = reminders_email_pending()
    assert sent == Reminder.objects.count()
    to = {tuple(m.to): m.subject for m in mail.outbox}
    assert any("Adverse event to confirm" in s for t, s in to.items() if t == ("doc@example.org",))
    assert all("ITP-001" in m.body for m in mail.outbox)
    count = len(mail.outbox)
    assert reminders_email_pending() == 0 and len(mail.outbox) == count


def test_command_prints_created_and_runs_as_of(nurse, capsys):
    enrol(nurse, start=DAY0)
    call_command("scan_reminders", "--as-of", day(6).isoformat(), "--json")
    first = json.loads(capsys.readouterr().out)
    call_command("scan_reminders", "--as-of", day(6).isoformat(), "--json")
    second = json.loads(capsys.readouterr().out)
    assert first["created"] == Reminder.objects.count() > 0 and second["created"] == 0


def test_emailed_counts_only_what_was_sent(nurse, physician, capsys):
    # Before: "7 emailed" was printed although no demo user has an email address (every pending reminder counted).
    enrol(nurse, start=DAY0)
    call_command("scan_reminders", "--as-of", day(6).isoformat(), "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["created"] > 0 and result["emailed"] == 0 and mail.outbox == []
    assert not Reminder.objects.filter(emailed_at=None).exists()  # handled: not retried at every scan
    nurse.email = "nurse@example.org"
    nurse.save()
    call_command("scan_reminders", "--as-of", day(12).isoformat())
    created = Reminder.objects.filter(emailed_at__isnull=False).count() - result["created"]
    assert capsys.readouterr().out.startswith(f"{created} reminder(s) created, {created} emailed")
    assert len(mail.outbox) == created > 0
