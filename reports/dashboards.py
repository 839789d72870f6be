"""Selectors for the physician's patient dashboard and the study grid, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dosing.due import sirolimus_stop_dates
from dosing.models import DoseChange, Trough
from dosing.protocol import current_dosing_protocol
from dosing.tdm import IN_RANGE, classify_trough, course_flag
from itp_trial.clock import study_today
from patients.models import Patient, Withdrawal
from safety.models import AdverseEvent
from visits.models import ScheduledVisit, Visit
from visits.protocol import current_protocol
from visits.schedule import PROTOCOL_SCHEDULE, SlotStatus, slot_status
from visits.selectors import is_follow_up, slot_label
from visits.services import effective_bleeding_grade


def plain(value: Decimal) -> str:
    """A stored decimal as a person wrote it: no trailing zeros, never an exponent (27.70 -> "27.7", 12.0 -> "12")."""
    return format(value.normalize(), "f")


def dose_steps(doses: list[dict], today_day: int) -> list[dict]:
    """The regimen as steps: each dose from its start day to the next change (the last one to today), as the chart
    draws it (a dose is taken from its start date until the next change)."""
    steps = []
    for i, dose in enumerate(doses):
        end = doses[i + 1]["day"] if i + 1 < len(doses) else max(today_day, dose["day"])
        steps.append({"from": dose["day"], "to": end, "mg_per_day": dose["mg_per_day"], "phase": dose["phase"],
                      "phase_label": dose.get("phase_label", dose["phase"]), "date": dose["date"]})
    return steps


def _drug_series(patient: Patient, today_day: int) -> tuple[list[dict], list[dict]]:
    """Doses as recorded (start day, mg/day) and trough samples with their range."""
    dosing = current_dosing_protocol()
    doses = [{"day": (change.start_date - patient.start_date).days, "date": change.start_date.isoformat(),
              "mg_per_day": float(change.mg_per_day), "phase": change.phase,
              "phase_label": str(change.get_phase_display())}
             for change in DoseChange.objects.filter(patient=patient).order_by("start_date")]
    troughs = [
        {"day": (t.sample_date - patient.start_date).days, "date": t.sample_date.isoformat(),
         "ng_ml": float(t.ng_ml), "in_range": classify_trough(t.ng_ml, dosing) == IN_RANGE}
        for t in Trough.objects.filter(patient=patient).order_by("sample_date", "id")
    ]
    return doses, troughs


def patient_chart(*, patient: Patient, today=None) -> dict:
    """The series of a patient's dashboard chart (JSON-ready, days since day 0), drawn as stacked panels on one
    day axis: platelets with the response lines, sirolimus dose steps and troughs, adverse events as bars."""
    protocol = current_protocol()
    visits = Visit.objects.filter(patient=patient).select_related("slot").order_by("visit_date", "id")
    baseline = next((v.platelets for v in visits if v.slot_id and v.slot.code == "baseline"), None)
    points = []
    for v in visits:
        grade = effective_bleeding_grade(v, protocol)
        points.append({
            "day": (v.visit_date - patient.start_date).days,
            "date": v.visit_date.isoformat(),
            "visit": v.code,
            "visit_label": str(slot_label(v.code)),  # in the reader's language (the code stays the key)
            "platelets": float(v.platelets),
            "category": v.category,
            "bleeding": None if grade is None else grade >= protocol.bleeding_grade_min,
            "bleeding_grade": grade,
            "rescue": v.in_rescue_window,
        })
    today = today or study_today()
    today_day = (today - patient.start_date).days
    doses, troughs = _drug_series(patient, today_day)
    dosing = current_dosing_protocol()
    events = []
    for ae in AdverseEvent.objects.filter(patient=patient).order_by("onset_date", "id"):
        onset = (ae.onset_date - patient.start_date).days
        end = (ae.end_date - patient.start_date).days if ae.end_date else None
        events.append({"day": onset, "date": ae.onset_date.isoformat(), "term": ae.term, "grade": ae.grade,
                       "end_day": end, "end_date": ae.end_date.isoformat() if ae.end_date else None,
                       "ongoing": ae.end_date is None, "to": end if end is not None else max(today_day, onset)})
    days = [0, today_day, *(p["day"] for p in points), *(d["day"] for d in doses), *(t["day"] for t in troughs),
            *(e["day"] for e in events), *(e["to"] for e in events)]
    return {
        "points": points,
        "lines": {
            "r": float(protocol.r_threshold),
            "cr": float(protocol.cr_threshold),
            "double_baseline": float(baseline * protocol.doubling_factor) if baseline is not None else None,
        },
        "doses": doses,
        "dose_steps": dose_steps(doses, today_day),
        "troughs": troughs,
        "trough_range": [float(dosing.target_low), float(dosing.target_high)],
        "adverse_events": events,
        "today_day": today_day,
        "x": {"min": min(days), "max": max(max(days), 28)},
    }


@dataclass(frozen=True)
class GridCell:
    code: str
    status: SlotStatus
    category: str | None


@dataclass(frozen=True)
class GridRow:
    patient: Patient
    cells: list[GridCell]
    overdue: bool
    responding: bool
    nr_at_month3: bool  # the protocol's month-3 decision says taper and stop (dosing.tdm.course_flag)
    withdrawal_pending: bool


def study_grid(*, today: date) -> list[GridRow]:
    """Patients × protocol visits: each cell the category of a done visit, else its status. Four queries."""
    patients = list(Patient.objects.select_related("response").order_by("study_id"))
    stops = sirolimus_stop_dates(patient_ids=[p.pk for p in patients])
    withdrawals = dict(Withdrawal.objects.values_list("patient_id", "off_study_date"))
    pending = {patient_id for patient_id, off in withdrawals.items() if off is None}
    cells: dict[int, dict[str, GridCell]] = {}
    slots = ScheduledVisit.objects.values_list(
        "patient_id", "code", "target_date", "earliest", "latest", "visit__id", "visit__category")
    for patient_id, code, target, earliest, latest, visit_id, category in slots:
        status = slot_status(target=target, earliest=earliest, latest=latest, done=visit_id is not None, today=today,
                             follow_up=is_follow_up(code), stopped_on=stops.get(patient_id),
                             off_study_on=withdrawals.get(patient_id))
        cells.setdefault(patient_id, {})[code] = GridCell(code, status, category)
    rows = []
    for patient in patients:
        by_code = cells.get(patient.pk, {})
        row_cells = [by_code.get(v.code) or GridCell(v.code, SlotStatus.UPCOMING, None)
                     for v in PROTOCOL_SCHEDULE.visits]
        response = getattr(patient, "response", None)
        flag = course_flag(day0=patient.start_date, today=today, current_status=response and response.current_status,
                           stopped_on=stops.get(patient.pk))
        rows.append(GridRow(
            patient=patient,
            cells=row_cells,
            overdue=any(c.status in (SlotStatus.OVERDUE, SlotStatus.MISSED) for c in row_cells),
            responding=bool(response and response.current_status in ("CR", "R")),
            nr_at_month3=flag.kind == "taper",
            withdrawal_pending=patient.pk in pending,
        ))
    return rows


def grid_counts(rows: list[GridRow]) -> list[dict]:
    """Per protocol visit: how many cells hold each category or status."""
    counts = []
    for index, visit_def in enumerate(PROTOCOL_SCHEDULE.visits):
        column: dict[str, int] = {}
        for row in rows:
            cell = row.cells[index]
            key = cell.category if cell.category else cell.status.value
            column[key] = column.get(key, 0) + 1
        counts.append({"code": visit_def.code, "label": visit_def.label, "counts": column})
    return counts
