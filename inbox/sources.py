"""Where reminders come from: each record type declares what is due (RecordType.due, read through
casebook.due), the inbox turns it into reminder candidates. A new kind of due item is a source its domain
declares; the inbox needs no change beyond the kind's text.
"""

from dataclasses import dataclass, field
from datetime import date

from casebook.due import due_items

from .models import Reminder


@dataclass(frozen=True)
class Candidate:
    patient_id: int
    kind: str
    due_date: date
    audience: str
    params: dict = field(default_factory=dict)  # what the text says, as data (inbox.texts renders it)


def reminder_candidates(*, today: date) -> list[Candidate]:
    """Everything due or overdue on `today`, for all patients, from every declared source."""
    return [Candidate(item.patient_id, Reminder.Kind(item.kind).value, item.due_date,
                      Reminder.Audience(item.audience).value, item.params)
            for item in due_items(today=today)]
