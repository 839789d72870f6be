"""Study-level reads: the response tables computed from the stored visits (one query), and the full report."""

from dosing.report import dosing_report
from safety.report import safety_report
from visits.models import Visit
from visits.schedule import BASELINE, PROTOCOL_SCHEDULE

from .statistics import friedman
from .tables import VisitRow, response_tables


def _friedman_summary(rows: list[VisitRow], codes: list[str]) -> dict | None:
    """Friedman test over the patients with a count at baseline and at every timepoint (complete cases)."""
    by_patient: dict[int, dict[str, float]] = {}
    for row in rows:
        by_patient.setdefault(row.patient_id, {})[row.code] = float(row.platelets)
    complete = [[counts[c] for c in codes] for counts in by_patient.values() if all(c in counts for c in codes)]
    result = friedman(complete)
    if result is None:
        return None
    return {
        "visits": codes,
        "n": result.n,
        "chi2": round(result.chi2, 4),
        "df": result.k - 1,
        "p": result.p,
        "kendall_w": round(result.kendall_w, 4),
        "mean_ranks": [round(r, 3) for r in result.mean_ranks],
    }


def study_response_report() -> dict:
    rows = [
        VisitRow(patient_id, code, category, platelets)
        for patient_id, code, category, platelets in Visit.objects.filter(slot__isnull=False)
        .values_list("patient_id", "slot__code", "category", "platelets")
        .iterator()
    ]
    timepoints = [v.code for v in PROTOCOL_SCHEDULE.timepoints]  # follow-up visits in their place (month4 ...)
    report = response_tables(rows, timepoints=timepoints, baseline_code=BASELINE)
    # Over the timepoints every patient has: the on-drug follow-up visits would leave only long responders.
    report["friedman"] = _friedman_summary(rows, [BASELINE, *(v.code for v in PROTOCOL_SCHEDULE.core_timepoints)])
    return report


def study_report() -> dict:
    """Everything `study_report --json` prints: the response tables, then what dosing and safety add."""
    return {**study_response_report(), **dosing_report(), **safety_report()}
