"""The daily reminder scan: what is due or overdue today (inbox.sources), turned into reminders once per
patient/kind/due date, each new reminder's e-mail put in the outbox in the same transaction.

The scan reads everything in a fixed number of queries (no per-patient query) and inserts candidates with
ON CONFLICT DO NOTHING on the unique key, so a second run, a concurrent run or a redelivered task creates
nothing twice; the scan's own rows are found by its batch id.
"""

import time
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .emails import reminder_email_message
from .models import Reminder
from .outbox import outbox_drain, outbox_put
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
    rows = [Reminder(patient_id=c.patient_id, kind=c.kind, due_date=c.due_date, audience=c.audience,
                     params=c.params, batch=batch) for c in reminder_candidates(today=today)]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    _pause_for_tests()
    created = list(Reminder.objects.filter(batch=batch).values_list("pk", flat=True))
    # The callers (task, command) drain the outbox right after: no need to nudge a worker.
    outbox_put([reminder_email_message(pk) for pk in created], kick=False)
    return len(created)


def reminders_email_pending(*, limit: int = 1000) -> int:
    """E-mail every reminder not e-mailed yet (their outbox messages); returns how many reminders were e-mailed to
    at least one address (a reminder whose role has nobody with an address is done, but not counted as e-mailed)."""
    from .models import EmailSent, OutboxMessage

    started = timezone.now()
    outbox_drain(topics=[OutboxMessage.Topic.REMINDER_EMAIL], limit=limit)
    return (EmailSent.objects.filter(sent_at__gte=started, message__topic=OutboxMessage.Topic.REMINDER_EMAIL)
            .values("message").distinct().count())
