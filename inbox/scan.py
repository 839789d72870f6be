"""The daily reminder scan: what is due or overdue today (inbox.sources), turned into reminders once per
patient/kind/due date, each new reminder's e-mail put in the outbox in the same transaction.

The scan reads everything in a fixed number of queries (no per-patient query) and inserts candidates with
ON CONFLICT DO NOTHING on the unique key, so a second run, a concurrent run or a redelivered task creates
nothing twice; the scan's own rows are found by its batch id. Rows are written by COPY and INSERT ... SELECT
(no model instance per reminder): 10,000 patients' reminders and their e-mails in a handful of statements.
"""

import time
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from .models import OutboxMessage, Reminder
from .outbox import outbox_drain
from .sources import reminder_candidates


def _pause_for_tests() -> None:
    """Test-only hook (settings.INBOX_SCAN_PAUSE_FILE, set only by the test settings from the environment):
    while that file exists the scan waits here, inside its transaction, so a test can kill the worker mid-scan."""
    pause_file = getattr(settings, "INBOX_SCAN_PAUSE_FILE", "")
    if not pause_file:
        return
    path = Path(pause_file)
    if path.exists():
        Path(f"{pause_file}.reached").touch()
    while path.exists():
        time.sleep(0.05)


@transaction.atomic
def reminders_scan(*, today: date) -> int:
    """Create the reminders due on `today`; returns how many this run created (0 on a repeated run)."""
    batch = uuid.uuid4()
    created = _reminders_insert(reminder_candidates(today=today), batch=batch)
    _pause_for_tests()
    if created:
        _emails_put(batch=batch)  # the callers (task, command) drain the outbox right after: no worker nudged
    return created


def _reminders_insert(candidates: list, *, batch: uuid.UUID) -> int:
    """The candidates as reminders of `batch`: COPY into a temporary table, then one INSERT that skips the keys
    that exist (ON CONFLICT DO NOTHING on the unique key, as before). Returns how many were created."""
    if not candidates:
        return 0
    now = timezone.now()
    if connection.vendor != "postgresql":  # `make run` on SQLite: the same rows, existing keys skipped
        Reminder.objects.bulk_create([
            Reminder(patient_id=c.patient_id, kind=c.kind, due_date=c.due_date, audience=c.audience,
                     params=c.params, message="", created_at=now, batch=batch) for c in candidates],
            ignore_conflicts=True)
        return Reminder.objects.filter(batch=batch).count()
    table = connection.ops.quote_name(Reminder._meta.db_table)
    scratch = f"inbox_scan_{batch.hex}"  # this scan's own: dropped at commit
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} (patient_id bigint, kind text, due_date date, "
                       f"audience text, params jsonb) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {scratch} FROM STDIN") as copy:
            for c in candidates:
                copy.write_row((c.patient_id, c.kind, c.due_date, c.audience, Jsonb(c.params)))
        cursor.execute(
            f"INSERT INTO {table} (patient_id, kind, due_date, audience, params, message, created_at, batch, "
            f"emailed_at) SELECT patient_id, kind, due_date, audience, params, '', %s, %s, NULL "
            f"FROM {scratch} ON CONFLICT DO NOTHING", [now, batch])
        return cursor.rowcount


def _emails_put(*, batch: uuid.UUID) -> None:
    """Each new reminder's e-mail in the outbox, by one INSERT ... SELECT: the messages reminder_email_message
    makes (key "reminder_email:<id>", payload {"reminder": <id>}), an existing key kept (outbox_put's rule)."""
    topic = OutboxMessage.Topic.REMINDER_EMAIL.value
    now = timezone.now()
    if connection.vendor != "postgresql":  # `make run` on SQLite: the same messages, existing keys kept
        OutboxMessage.objects.bulk_create([
            OutboxMessage(key=f"{topic}:{pk}", topic=topic, payload={"reminder": pk}, created_at=now,
                          next_attempt_at=now)
            for pk in Reminder.objects.filter(batch=batch).order_by("id").values_list("id", flat=True)],
            ignore_conflicts=True)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(OutboxMessage._meta.db_table)} (key, topic, payload, created_at, "
            f"next_attempt_at, attempts, last_error, done_at) "
            f"SELECT %s || id, %s, jsonb_build_object('reminder', id), %s, %s, 0, '', NULL "
            f"FROM {connection.ops.quote_name(Reminder._meta.db_table)} WHERE batch = %s ORDER BY id "
            f"ON CONFLICT DO NOTHING", [f"{topic}:", topic, now, now, batch])


def reminders_email_pending() -> int:
    """E-mail every reminder not e-mailed yet (their outbox messages), in batches until none is pending; returns how
    many reminders were e-mailed to at least one address (a reminder whose role has nobody with an address is done,
    but not counted as e-mailed)."""
    from .models import EmailSent

    started = timezone.now()
    outbox_drain(topics=[OutboxMessage.Topic.REMINDER_EMAIL])
    return (EmailSent.objects.filter(sent_at__gte=started, message__topic=OutboxMessage.Topic.REMINDER_EMAIL)
            .values("message").distinct().count())
