"""What is due in safety follow-up: safety lab panels due or overdue, for every patient, in fixed queries.

Read by the lab types' due source (lab_due_items), the patient page and the study safety page:
- labs_due(*, today) -> list[LabsDue]: panels due or overdue on `today`, grouped per patient, status and date.

The rules themselves (every 14 days ±3 from day 0 until a month after stopping) are in safety.schedule.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from casebook.course import courses
from casebook.due import Due
from patients.models import Patient

from .ctcae import SCHEDULED_PANELS
from .models import LabValue
from .schedule import LabSlots, lab_slots

OUTSTANDING = ("due", "overdue")


@dataclass(frozen=True)
class LabsDue:
    patient_id: int
    study_id: str
    status: str  # "due" | "overdue"
    due_date: date
    panels: tuple[str, ...]  # panel codes, in the schedule's order


def stop_dates(*, patient_ids: list[int] | None) -> dict[int, date]:
    """The day safety follow-up counts from: sirolimus stopped, or off study if that came first."""
    return {patient_id: course.follow_up_from
            for patient_id, course in courses(patient_ids=patient_ids).items()}


def last_lab_dates(*, patient_ids: list[int] | None = None) -> dict[tuple[int, str], date]:
    rows = LabValue.objects.all()
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=patient_ids)
    rows = rows.values("patient_id", "panel").annotate(last=Max("sample_date")).order_by()
    return {(row["patient_id"], row["panel"]): row["last"] for row in rows}


def _outstanding(*, today: date) -> list[tuple[int, str, str, date, tuple[str, ...]]]:
    """(patient id, study id, status, due date, panels) of every patient's panels due or overdue on `today`,
    grouped by status and target date, by patient; three queries (all patients: no list of ids sent back). The
    schedule is worked out once per day 0 and stop (lab_slots), and so is the answer for a patient with no
    sample of any scheduled panel."""
    patients = Patient.objects.order_by("pk").values_list("pk", "study_id", "start_date")
    stops = stop_dates(patient_ids=None)
    last = last_lab_dates()
    sampled = {patient_id for patient_id, _panel in last}
    panels = [panel.value for panel in SCHEDULED_PANELS]  # blood counts are graded when entered, not scheduled
    slots_of: dict[tuple[date, date | None], LabSlots] = {}
    unsampled_of: dict[tuple[date, date | None], list] = {}
    found = []
    for patient_id, study_id, day0 in patients:
        stop = stops.get(patient_id)
        if patient_id not in sampled:
            groups = unsampled_of.get((day0, stop))
            if groups is None:
                groups = unsampled_of[day0, stop] = _grouped(_slots(slots_of, day0, stop, today), panels, {},
                                                             patient_id)
        else:
            groups = _grouped(_slots(slots_of, day0, stop, today), panels, last, patient_id)
        found.extend((patient_id, study_id, status, due_date, due_panels) for status, due_date, due_panels in groups)
    return found


def _slots(slots_of: dict, day0: date, stop: date | None, today: date) -> LabSlots:
    slots = slots_of.get((day0, stop))
    if slots is None:
        slots = slots_of[day0, stop] = lab_slots(day0=day0, stop=stop, today=today)
    return slots


def _grouped(slots: LabSlots, panels: list[str], last: dict, patient_id: int) -> list[tuple[str, date, tuple]]:
    """One patient's outstanding panels as (status, due date, panels), in the schedule's order."""
    if slots.if_not.status not in OUTSTANDING and slots.if_sampled.status not in OUTSTANDING:
        return []  # nothing due whatever was sampled
    grouped: dict[tuple[str, date], list[str]] = {}
    for panel in panels:
        status = slots.status(last.get((patient_id, panel)))
        if status.status in OUTSTANDING:
            grouped.setdefault((status.status, status.due_date), []).append(panel)
    return [(status, due_date, tuple(due_panels)) for (status, due_date), due_panels in grouped.items()]


def labs_due(*, today: date) -> list[LabsDue]:
    """Every patient's panels due or overdue on `today`, grouped by status and target date."""
    return [LabsDue(*row) for row in _outstanding(today=today)]


def lab_due_items(*, today: date) -> list[Due]:
    """The lab value type's due source (RecordType.due): safety lab panels due or overdue (safety.schedule's
    rules), for the nurses; they follow their own end (a month after stopping), off study or not. The parameters
    depend on the panels only: one dict per distinct set of panels, shared (never changed in place)."""
    params_of: dict[tuple[str, ...], dict] = {}
    items = []
    for patient_id, _study_id, status, due_date, panels in _outstanding(today=today):
        params = params_of.get(panels)
        if params is None:
            params = params_of[panels] = {"panels": list(panels)}
        items.append(Due(patient_id, "labs", "lab_due" if status == "due" else "lab_overdue", due_date,
                         status == "overdue", "nurse", params))
    return items
