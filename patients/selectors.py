"""Reads of a patient for the patient page (the list is patients.finder)."""

from dataclasses import dataclass
from datetime import date

from dosing.due import sirolimus_stop_dates

from .models import Patient, Withdrawal


def patient_detail(*, study_id: str) -> Patient:
    return (
        Patient.objects.select_related("response", "eligibility", "eligibility__checked_by", "enrolled_by")
        .prefetch_related("consents", "prior_therapies", "rescue_therapies")
        .get(study_id=study_id)
    )


@dataclass(frozen=True)
class CourseDates:
    """When sirolimus was stopped (the last change a stop) and when the patient went off study, if they did."""

    stopped_on: date | None
    off_study_on: date | None


def course_dates(*, patient: Patient) -> CourseDates:
    """The dates that close a patient's visit plan (two queries)."""
    off = Withdrawal.objects.filter(patient=patient).values_list("off_study_date", flat=True).first()
    return CourseDates(sirolimus_stop_dates(patient_ids=[patient.pk]).get(patient.pk), off)
