"""A patient's course, as the record types that end it declare it (`RecordType.course`).

The visit plan, the safety follow-up, the reminder scan and the patient list need to know when the study drug
was stopped and when a patient went off study; the records that say so live in apps above some of them
(dosing, patients). They ask here instead of importing those apps.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .registry import record_types


@dataclass(frozen=True)
class Course:
    stopped_on: date | None = None  # the study drug was stopped (the regimen ends with a stop)
    off_study_on: date | None = None  # the patient left the study

    @property
    def follow_up_from(self) -> date | None:
        """The day safety follow-up counts from: the drug stopped, or off study if that came first."""
        ends = [day for day in (self.stopped_on, self.off_study_on) if day is not None]
        return min(ends) if ends else None


def courses(*, patient_ids: Iterable[int] | None = None) -> dict[int, Course]:
    """The course of each of `patient_ids` (every patient when None) whose course has an end; one query per
    declaring type. A patient with nothing stopped is absent (their course is `Course()`)."""
    ids = None if patient_ids is None else list(patient_ids)
    found: dict[int, dict[str, date]] = defaultdict(dict)
    for record_type in record_types():
        if record_type.course is not None:
            for patient_id, dates in record_type.course(patient_ids=ids).items():
                found[patient_id].update(dates)
    return {patient_id: Course(**dates) for patient_id, dates in found.items()}


def course_of(patient_id: int) -> Course:
    return courses(patient_ids=[patient_id]).get(patient_id, Course())
