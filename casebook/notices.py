"""Notices: what a write asks people to do (a proposed adverse event to confirm, a withdrawal to complete).

A domain service says it on the write (`write.notify(...)`), as data; at the end of the write, still in its
transaction, the notices go to the one receiver the project names (settings.CASEBOOK_NOTICES, like
CASEBOOK_RECORD_TYPES), which turns them into reminders. So the reminder commits or rolls back with the record,
at once, and the domain apps never import the inbox above them. Not a signal: one receiver, named explicitly,
called in the writing transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Notice:
    patient_id: int
    kind: str  # one of the inbox's reminder kinds ("ae_proposed", "ae_review", "withdrawal", ...)
    due_date: date
    audience: str  # "nurse" | "physician"
    params: dict = field(default_factory=dict)  # what the reminder's text says, as data


def notices_deliver(notices: Sequence[Notice]) -> None:
    """Hand a write's notices to the project's receiver (inside the caller's transaction)."""
    if notices:
        import_string(settings.CASEBOOK_NOTICES)(notices)
