"""The patient page's panels, as the record types declare them (`RecordType.panel`).

A type's `panel(*, patient, today, locks, course)` returns the panels it shows on the patient page (none, one or
more); the page (patients) shows them in the order of the study's record types, without importing the apps
that build them. Each panel's context is merged into the page's, so its template reads its own names
("dosing", "safety", "schedule", …) and the page's (patient, can_enter, …).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models

from .course import Course
from .registry import record_types
from .selectors import CasebookLocks

ASIDE, MAIN, LAST = "aside", "main", "last"


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    # Where on the page: ASIDE beside the patient's details, MAIN below them, LAST after every main panel.
    place: str = MAIN


def patient_panels(*, patient: models.Model, today: date, locks: CasebookLocks, course: Course) -> list[Panel]:
    return [panel for record_type in record_types() if record_type.panel is not None
            for panel in record_type.panel(patient=patient, today=today, locks=locks, course=course)]


def panels_by_place(panels: list[Panel]) -> dict[str, list[Panel]]:
    return {place: [panel for panel in panels if panel.place == place] for place in (ASIDE, MAIN, LAST)}
