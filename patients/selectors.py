"""Reads of patients for the list and the patient page."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from dosing.due import sirolimus_stop_dates
from safety.models import Withdrawal
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
    """Patients with their response summary and next visit to do, in three queries whatever their number."""
    patients = Patient.objects.select_related("response", "withdrawal").order_by("study_id")
    search = search.strip()
    if search:
        patients = patients.filter(Q(study_id__icontains=search))
    patients = list(patients)
    ids = [p.pk for p in patients]
    next_slots = next_open_slots(patient_ids=ids, today=today, stops=sirolimus_stop_dates(patient_ids=ids),
                                 off_study={p.pk: off for p in patients if (off := _off_study(p))})
    rows = []
    for patient in patients:
        slot, status = next_slots.get(patient.pk, (None, None))
        rows.append(PatientRow(patient, slot, status))
    return rows


def _off_study(patient: Patient):
    withdrawal = getattr(patient, "withdrawal", None)
    return withdrawal.off_study_date if withdrawal is not None else None


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
