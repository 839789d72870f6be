"""Selectors for the physician's patient dashboard, in a fixed number of queries (the study grid: study_grid)."""

from decimal import Decimal

from dosing.models import DoseChange, Trough
from dosing.protocol import current_dosing_protocol
from dosing.tdm import IN_RANGE, classify_trough
from itp_trial.clock import study_today
from patients.models import Patient
from safety.models import AdverseEvent
from visits.models import Visit
from visits.protocol import current_protocol
from visits.selectors import slot_label
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
