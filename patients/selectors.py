"""Reads of patients for the list and the patient page."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from visits.models import ScheduledVisit
from visits.schedule import SlotStatus
from visits.selectors import next_open_slots

from .models import Patient


@dataclass(frozen=True)
class PatientRow:
    patient: Patient
    next_slot: ScheduledVisit | None
    next_status: SlotStatus | None


def patient_list(*, search: str = "", today: date) -> list[PatientRow]:
    """Patients with their response summary and next visit to do, in two queries whatever their number."""
    patients = Patient.objects.select_related("response", "withdrawal").order_by("study_id")
    search = search.strip()
    if search:
        patients = patients.filter(Q(study_id__icontains=search))
    patients = list(patients)
    next_slots = next_open_slots(patient_ids=[p.pk for p in patients], today=today)
    rows = []
    for patient in patients:
        slot, status = next_slots.get(patient.pk, (None, None))
        rows.append(PatientRow(patient, slot, status))
    return rows


def patient_detail(*, study_id: str) -> Patient:
    return (
        Patient.objects.select_related("response", "eligibility", "eligibility__checked_by", "enrolled_by")
        .prefetch_related("consents", "prior_therapies", "rescue_therapies")
        .get(study_id=study_id)
    )
