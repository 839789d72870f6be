"""Where reminders come from: each record type declares what is due (RecordType.due, read through
casebook.due), the inbox turns it into reminder candidates. A new kind of due item is a source its domain
declares; the inbox needs no change beyond the kind's text.
"""

from datetime import date
from typing import NamedTuple

from casebook.due import due_items

from .models import Reminder

KINDS = frozenset(Reminder.Kind.values)
AUDIENCES = frozenset(Reminder.Audience.values)


class Candidate(NamedTuple):
    """One reminder to create. A tuple: the scan makes one per reminder, tens of thousands at study scale, and
    sends them to PostgreSQL as JSON arrays in this field order (inbox.scan reads them by position)."""

    patient_id: int
    kind: str
    due_date: date
    audience: str
    params: dict  # what the text says, as data (inbox.texts renders it)


def reminder_candidates(*, today: date) -> list[Candidate]:
    """Everything due or overdue on `today`, for all patients, from every declared source. A kind or audience
    the inbox does not know is refused (ValueError), as Reminder.Kind(...) would."""
    candidates = []
    for item in due_items(today=today):
        if item.kind not in KINDS:
            raise ValueError(f"{item.kind!r} is not a valid Reminder.Kind")
        if item.audience not in AUDIENCES:
            raise ValueError(f"{item.audience!r} is not a valid Reminder.Audience")
        candidates.append(Candidate(item.patient_id, item.kind, item.due_date, item.audience, item.params))
    return candidates
