"""What is due for patients, as the record types declare it (`RecordType.due`).

Each domain says what is due in its own terms (a visit in its window, a trough check, safety labs); the
reminder scan (inbox) and the patient list read all of them here, in the order of the study's record types,
without importing the domains. A source reads all patients in a fixed number of queries.
"""

from datetime import date
from typing import NamedTuple

from .registry import record_types


class Due(NamedTuple):  # a tuple: a scan makes one per reminder, tens of thousands at study scale
    patient_id: int
    topic: str  # what the patient list filters on: "visit" | "labs" | "trough"
    kind: str  # the reminder it becomes (one of the inbox's kinds: "visit_due", "lab_due", "trough_due", ...)
    due_date: date
    overdue: bool
    audience: str = "nurse"  # who does it: "nurse" | "physician"
    params: dict = {}  # what a reminder's text says, as data (never changed in place)


def due_items(*, today: date) -> list[Due]:
    """Everything due or overdue on `today`, for all patients, from every declared source."""
    return [item for record_type in record_types() if record_type.due is not None
            for item in record_type.due(today=today)]
