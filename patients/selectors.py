"""Reads of a patient for the patient page (the list is visits.finder)."""

from collections.abc import Iterable
from datetime import date

from casebook.course import Course, course_of

from .models import Patient, Withdrawal


def patient_detail(*, study_id: str) -> Patient:
    return (
        Patient.objects.select_related("response", "eligibility", "eligibility__checked_by", "enrolled_by")
        .prefetch_related("consents", "prior_therapies")
        .get(study_id=study_id)
    )


def course_dates(*, patient: Patient) -> Course:
    """When sirolimus was stopped (the last change a stop) and when the patient went off study, if they did."""
    return course_of(patient.pk)


def off_study_dates(*, patient_ids: Iterable[int] | None = None) -> dict[int, date]:
    """Patients taken off study (all, or those of `patient_ids`), with the date; one query."""
    rows = Withdrawal.objects.filter(off_study_date__isnull=False)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    return dict(rows.values_list("patient_id", "off_study_date"))


def course_off_study(*, patient_ids: Iterable[int] | None = None) -> dict[int, dict[str, date]]:
    """The withdrawal type's part of the patient's course (RecordType.course): the off-study date."""
    off_study = off_study_dates(patient_ids=patient_ids)
    return {patient_id: {"off_study_on": day} for patient_id, day in off_study.items()}
