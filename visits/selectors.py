"""Reads of visits and schedules, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from patients.models import Patient

from .models import ScheduledVisit, Visit
from .schedule import PROTOCOL_SCHEDULE, SlotStatus, slot_status
from .validation import window_message


@dataclass(frozen=True)
class SlotRow:
    slot: ScheduledVisit
    label: str
    status: SlotStatus
    visit: Visit | None


def slot_label(code: str) -> str:
    visit_def = PROTOCOL_SCHEDULE.get(code)
    return visit_def.label if visit_def else code


def patient_schedule(*, patient: Patient, today: date) -> list[SlotRow]:
    slots = ScheduledVisit.objects.filter(patient=patient).select_related("visit").order_by("target_date")
    rows = []
    for slot in slots:
        visit = getattr(slot, "visit", None)
        rows.append(SlotRow(slot, slot_label(slot.code),
                            slot_status(target=slot.target_date, earliest=slot.earliest, latest=slot.latest,
                                        done=visit is not None, today=today), visit))
    return rows


def patient_visits(*, patient: Patient) -> list[Visit]:
    return list(Visit.objects.filter(patient=patient).select_related("slot").order_by("visit_date", "id"))


def visit_window_message(visit: Visit) -> str:
    if not visit.slot_id or visit.out_of_window_days == 0:
        return ""
    return window_message(visit.out_of_window_days, earliest=visit.slot.earliest, latest=visit.slot.latest)


def next_open_slots(*, patient_ids: list[int], today: date) -> dict[int, tuple[ScheduledVisit, SlotStatus]]:
    """Each patient's next protocol visit still to do (window not yet closed), in one query."""
    found: dict[int, tuple[ScheduledVisit, SlotStatus]] = {}
    open_slots = ScheduledVisit.objects.filter(
        patient_id__in=patient_ids, visit__isnull=True, latest__gte=today
    ).order_by("patient_id", "target_date")
    for slot in open_slots:
        if slot.patient_id not in found:
            status = slot_status(target=slot.target_date, earliest=slot.earliest, latest=slot.latest,
                                 done=False, today=today)
            found[slot.patient_id] = (slot, status)
    return found


@dataclass(frozen=True)
class VisitDue:
    patient_id: int
    study_id: str
    code: str
    target_date: date
    latest: date  # the window closes after this day


def visits_due(*, today: date) -> list[VisitDue]:
    """Protocol visits whose window is open on `today` and that are not recorded yet, for all patients (1 query).

    Contract used by the inbox's reminder scan (inbox/sources.py)."""
    slots = (ScheduledVisit.objects.filter(visit__isnull=True, earliest__lte=today, latest__gte=today)
             .order_by("patient_id", "target_date")
             .values_list("patient_id", "patient__study_id", "code", "target_date", "latest"))
    return [VisitDue(*row) for row in slots]
