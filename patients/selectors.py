"""Reads of a patient for the patient page (the list is patients.finder)."""

from .models import Patient


def patient_detail(*, study_id: str) -> Patient:
    return (
        Patient.objects.select_related("response", "eligibility", "eligibility__checked_by", "enrolled_by")
        .prefetch_related("consents", "prior_therapies", "rescue_therapies")
        .get(study_id=study_id)
    )
