"""The daily reminder scan: what is due or overdue today (inbox.sources), turned into reminders once per
patient/kind/due date, each new reminder's e-mail put in the outbox in the same transaction.

The scan reads everything in a fixed number of queries (no per-patient query) and inserts candidates with
ON CONFLICT DO NOTHING on the unique key, so a second run, a concurrent run or a redelivered task creates
nothing twice. On PostgreSQL the rows are written by one statement: an INSERT ... SELECT from the candidates sent
as one JSON array, whose RETURNING feeds the outbox's INSERT (no model instance per reminder, no search by batch
id): 10,000 patients' reminders and their e-mails in one statement. The portable path (SQLite) writes the same
rows with bulk_create.
"""

import gc
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the sources build their rows: at 10,000 patients they keep
    ~150,000 tuples and lists alive at once (none in a reference cycle), which made the collector walk the whole
    heap two or three times during the scan (~60 ms of CPU each). Reference counting frees them as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@transaction.atomic
def reminders_scan(*, today: date) -> int:
    """Create the reminders due on `today`; returns how many this run created (0 on a repeated run)."""
    batch = uuid.uuid4()
    with _collector_paused():
        candidates = reminder_candidates(today=today)
    if connection.vendor != "postgresql":  # `make run` on SQLite: the same rows and messages, existing keys skipped
        created = _reminders_create(candidates, batch=batch)
        _pause_for_tests()
        if created:
            _emails_create(batch=batch)
        return created
    created = _reminders_and_emails_insert(candidates, batch=batch)
    _pause_for_tests()
    return created  # the callers (task, command) drain the outbox right after: no worker nudged


def _due_date(value: object) -> str:
    """json.dumps' hook for the one value a candidate holds that JSON has no type for: its due date."""
    if type(value) is date:
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _reminders_and_emails_insert(candidates: list, *, batch: uuid.UUID) -> int:
    """The candidates as reminders of `batch`, each new one's e-mail in the outbox, on PostgreSQL, in one
    statement: the candidates arrive as one JSON array (one json.dumps, no per-row adaptation) read in their
    order; the reminders whose key does not exist are inserted (ON CONFLICT DO NOTHING on the unique key, as
    before) and, from the ids they return, their outbox messages (the messages reminder_email_message makes: key
    "reminder_email:<id>", payload {"reminder": <id>}; an existing key kept, outbox_put's rule). Returns how many
    reminders were created."""
    if not candidates:
        return 0
    now = timezone.now()
    topic = OutboxMessage.Topic.REMINDER_EMAIL.value
    rows = json.dumps(candidates, default=_due_date)  # each an array in Candidate's field order
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH candidates AS (SELECT (r->>0)::bigint AS patient_id, r->>1 AS kind, (r->>2)::date AS due_date, "
            f"r->>3 AS audience, r->4 AS params FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS c(r, n) "
            f"ORDER BY n), "
            f"created AS (INSERT INTO {connection.ops.quote_name(Reminder._meta.db_table)} (patient_id, kind, "
            f"due_date, audience, params, message, created_at, batch, emailed_at) SELECT patient_id, kind, due_date, "
            f"audience, params, '', %s, %s, NULL FROM candidates ON CONFLICT DO NOTHING RETURNING id), "
            f"emails AS (INSERT INTO {connection.ops.quote_name(OutboxMessage._meta.db_table)} (key, topic, payload, "
            f"created_at, next_attempt_at, attempts, last_error, done_at) SELECT %s || id, %s, "
            f"jsonb_build_object('reminder', id), %s, %s, 0, '', NULL FROM created ORDER BY id ON CONFLICT DO NOTHING) "
            f"SELECT count(*) FROM created", [rows, now, batch, f"{topic}:", topic, now, now])
        return cursor.fetchone()[0]


def _reminders_create(candidates: list, *, batch: uuid.UUID) -> int:
    """The portable path (SQLite, `make run`): the same reminders, existing keys skipped; how many were created."""
    if not candidates:
        return 0
    now = timezone.now()
    Reminder.objects.bulk_create([
        Reminder(patient_id=c.patient_id, kind=c.kind, due_date=c.due_date, audience=c.audience,
                 params=c.params, message="", created_at=now, batch=batch) for c in candidates],
        ignore_conflicts=True)
    return Reminder.objects.filter(batch=batch).count()


def _emails_create(*, batch: uuid.UUID) -> None:
    """The portable path's outbox messages for the reminders of `batch` (as _reminders_and_emails_insert's)."""
    topic = OutboxMessage.Topic.REMINDER_EMAIL.value
    now = timezone.now()
    OutboxMessage.objects.bulk_create([
        OutboxMessage(key=f"{topic}:{pk}", topic=topic, payload={"reminder": pk}, created_at=now,
                      next_attempt_at=now)
        for pk in Reminder.objects.filter(batch=batch).order_by("id").values_list("id", flat=True)],
        ignore_conflicts=True)


def reminders_email_pending() -> int:
    """E-mail every reminder not e-mailed yet (their outbox messages), in batches until none is pending; returns how
    many reminders were e-mailed to at least one address (a reminder whose role has nobody with an address is done,
    but not counted as e-mailed)."""
    from .models import EmailSent

    started = timezone.now()
    outbox_drain(topics=[OutboxMessage.Topic.REMINDER_EMAIL])
    return (EmailSent.objects.filter(sent_at__gte=started, message__topic=OutboxMessage.Topic.REMINDER_EMAIL)
            .values("message").distinct().count())
