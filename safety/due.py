"""What is due in safety follow-up: safety lab panels due or overdue, for every patient, in fixed queries.

Contract used by the inbox's reminder scan (inbox/sources.py; keep the names and fields):
- labs_due(*, today) -> list[LabsDue]: panels due or overdue on `today`, grouped per patient, status and date.
- off_study_dates(*, patient_ids=None) -> dict[int, date]: patients taken off study, with the date.

The rules themselves (every 14 days ±3 from day 0 until a month after stopping) are in safety.schedule.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from dosing.due import sirolimus_stop_dates
from patients.models import Patient, Withdrawal

from .ctcae import SCHEDULED_PANELS
from .models import LabValue
from .schedule import lab_status


@dataclass(frozen=True)
class LabsDue:
    patient_id: int
    study_id: str
    status: str  # "due" | "overdue"
    due_date: date
    panels: tuple[str, ...]  # panel codes, in the schedule's order


def off_study_dates(*, patient_ids: list[int] | None = None) -> dict[int, date]:
    rows = Withdrawal.objects.filter(off_study_date__isnull=False)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=patient_ids)
    return dict(rows.values_list("patient_id", "off_study_date"))


def stop_dates(*, patient_ids: list[int]) -> dict[int, date]:
    """The day safety follow-up counts from: sirolimus stopped, or off study if that came first."""
    stops = dict(sirolimus_stop_dates(patient_ids=patient_ids))
    for patient_id, off in off_study_dates(patient_ids=patient_ids).items():
        stops[patient_id] = min(stops.get(patient_id, off), off)
    return stops


def last_lab_dates(*, patient_ids: list[int] | None = None) -> dict[tuple[int, str], date]:
    rows = LabValue.objects.all()
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=patient_ids)
    rows = rows.values("patient_id", "panel").annotate(last=Max("sample_date")).order_by()
    return {(row["patient_id"], row["panel"]): row["last"] for row in rows}


def labs_due(*, today: date) -> list[LabsDue]:
    """Every patient's panels due or overdue on `today`, grouped by status and target date."""
    patients = list(Patient.objects.order_by("pk").values_list("pk", "study_id", "start_date"))
    stops = stop_dates(patient_ids=[p[0] for p in patients])
    last = last_lab_dates()
    found = []
    for patient_id, study_id, day0 in patients:
        grouped: dict[tuple[str, date], list[str]] = {}
        for panel in SCHEDULED_PANELS:  # blood counts are graded when entered, not scheduled
            status = lab_status(day0=day0, stop=stops.get(patient_id), last_sample=last.get((patient_id, panel)),
                                today=today)
            if status.status in ("due", "overdue"):
                grouped.setdefault((status.status, status.due_date), []).append(panel.value)
        for (status, due_date), panels in grouped.items():
            found.append(LabsDue(patient_id, study_id, status, due_date, tuple(panels)))
    return found
