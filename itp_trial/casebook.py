"""Every clinical record type of the study, in one explicit tuple (no registry filled by imports).

Shared machinery that needs "all record types" reads this tuple through casebook.registry.record_types() (the
project names it in settings.CASEBOOK_RECORD_TYPES): this module joins every app, so no app imports it
(tests/test_layers.py). A domain app never imports a sibling's models to build a cross-cutting feature. Order:
the order records are written and exported in, and the order of the patient page's panels.
"""

import dosing.casebook
import patients.casebook
import review.casebook
import safety.casebook
import visits.casebook
from casebook.types import RecordType

RECORD_TYPES: tuple[RecordType, ...] = (
    visits.casebook.PATIENT,  # patients' declaration with its entry, enrolment (which writes the visit plan)
    *patients.casebook.TYPES,
    *visits.casebook.TYPES,
    *dosing.casebook.TYPES,
    *safety.casebook.TYPES,
    *patients.casebook.COURSE_TYPES,  # after safety: a withdrawal may name the adverse event that started it
    *review.casebook.TYPES,
)

BY_KEY: dict[str, RecordType] = {record_type.key: record_type for record_type in RECORD_TYPES}
BY_MODEL: dict[type, RecordType] = {record_type.model: record_type for record_type in RECORD_TYPES}


def record_type(key: str) -> RecordType:
    """The declaration named `key` (KeyError for an unknown key: callers turn it into a 404)."""
    return BY_KEY[key]
