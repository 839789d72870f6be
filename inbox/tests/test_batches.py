"""The scan's outbox messages, and e-mail sent in batches until nothing is pending, each reminder once."""

from datetime import date, timedelta

import pytest
from django.core import mail

from inbox import outbox
from inbox.emails import reminder_email_message
from inbox.models import EmailSent, OutboxMessage, Reminder
from inbox.scan import reminders_email_pending, reminders_scan
from safety.tests.builders import bulk_patients

pytestmark = pytest.mark.django_db
DAY0 = date(2026, 3, 2)
SCAN_DAY = DAY0 + timedelta(days=20)


@pytest.fixture
def backlog(nurse, physician):
    """About a hundred reminders due, and an address for each audience."""
    nurse.email, physician.email = "nurse@example.org", "doc@example.org"
    nurse.save()
    physician.save()
    bulk_patients(30, nurse, start=DAY0)
    created = reminders_scan(today=SCAN_DAY)
    assert created > 3 * 7
    return created


def test_each_new_reminder_gets_the_message_reminder_email_message_makes(backlog):
    expected = {(m.key, m.topic, tuple(m.payload.items()))
                for m in (reminder_email_message(pk) for pk in Reminder.objects.values_list("pk", flat=True))}
    written = {(m.key, m.topic, tuple(m.payload.items())) for m in OutboxMessage.objects.all()}
    assert written == expected and len(written) == backlog
    assert reminders_scan(today=SCAN_DAY) == 0 and OutboxMessage.objects.count() == backlog


def test_a_backlog_larger_than_a_batch_goes_out_in_one_call(backlog, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH_SIZE", 7)
    assert reminders_email_pending() == backlog
    assert not OutboxMessage.objects.filter(done_at=None).exists()
    assert len(mail.outbox) == EmailSent.objects.count() == backlog  # one address per audience
    assert reminders_email_pending() == 0 and len(mail.outbox) == backlog


class WorkerKilled(BaseException):
    """Not an Exception: nothing in the drain catches it, as nothing catches a killed process."""


@pytest.mark.parametrize("killed_at", [7, 10], ids=["between-batches", "within-a-batch"])
def test_a_drain_killed_midway_sends_nothing_twice_when_run_again(backlog, monkeypatch, killed_at):
    monkeypatch.setattr(outbox, "BATCH_SIZE", 7)
    real, calls = outbox._handle, []

    def dying(message, *, context):
        calls.append(message.pk)
        if len(calls) == killed_at + 1:
            raise WorkerKilled
        return real(message, context=context)

    monkeypatch.setattr(outbox, "_handle", dying)
    with pytest.raises(WorkerKilled):
        reminders_email_pending()
    assert len(mail.outbox) == killed_at
    monkeypatch.setattr(outbox, "_handle", real)
    reminders_email_pending()
    assert len(mail.outbox) == EmailSent.objects.count() == backlog  # one e-mail per reminder, none twice
    assert not OutboxMessage.objects.filter(done_at=None).exists()


def test_a_limit_still_stops_the_drain(backlog):
    assert outbox.outbox_drain(limit=5, batch_size=2) == 5
    assert OutboxMessage.objects.filter(done_at=None).count() == backlog - 5
