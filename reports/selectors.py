"""Study-level reads: the paper's tables and figures computed from the stored data, in a fixed number of queries
whatever the size of the study (visits 1, patients 2, slots 2, Treg 2, adverse events 2, dosing 2)."""

from datetime import date

from django.db.models import Q

from casebook.registry import record_types
from dosing.due import sirolimus_stop_dates
from itp_trial.clock import study_today
from patients.demographics import age_in_years, months_between
from patients.models import Patient, PriorTherapy
from safety.report import treg_values
from visits.models import ScheduledVisit, Visit
from visits.schedule import BASELINE, PROTOCOL_SCHEDULE
from visits.selectors import is_follow_up, slot_label

from .characteristics import AGE_CUT, PatientRow, clinical_characteristics
from .figures import figure1_svg, figure2_svg, patient_courses, timepoint_summaries
from .predictors import OUTCOME_VISIT, OutcomeRow, response_factors
from .statistics import friedman
from .tables import VisitRow, complete_cases, normality, response_rates, response_tables, response_test
from .treg import TregValues, table5_section, treg_section


def _timepoint_codes(rows: list[VisitRow]) -> list[str]:
    """The timepoints of Table 2 (response per timepoint, `timepoints` of the JSON): every protocol timepoint, and
    each follow-up visit (month4, month5, month7 …) that has a count, in its place in the schedule."""
    recorded = {row.code for row in rows}
    return [v.code for v in PROTOCOL_SCHEDULE.timepoints if not v.follow_up or v.code in recorded]


def _core_codes() -> list[str]:
    """Baseline and the timepoints every patient has: Table 3's analysis (Friedman, normality) and the figures,
    as in the paper (the on-drug follow-up visits would leave only the long responders as complete cases)."""
    return [BASELINE, *(v.code for v in PROTOCOL_SCHEDULE.core_timepoints)]


def _visit_rows() -> list[VisitRow]:
    return [
        VisitRow(patient_id, code, category, platelets)
        for patient_id, code, category, platelets in Visit.objects.filter(slot__isnull=False)
        .values_list("patient_id", "slot__code", "category", "platelets")
        .iterator()
    ]


def _patient_rows() -> list[PatientRow]:
    therapies: dict[int, set[str]] = {}
    for patient_id, therapy in PriorTherapy.objects.values_list("patient_id", "therapy"):
        therapies.setdefault(patient_id, set()).add(therapy)
    fields = ("pk", "study_id", "sex", "birth_date", "diagnosis_date", "start_date", "early_steroid_effective")
    return [PatientRow(*values, therapies=frozenset(therapies.get(values[0], ())))
            for values in Patient.objects.order_by("study_id").values_list(*fields)]


def _friedman_summary(complete: list[list[float]], codes: list[str]) -> dict | None:
    """Friedman test over the patients with a count at baseline and at every timepoint (complete cases)."""
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


def _response_report(rows: list[VisitRow]) -> dict:
    report = response_tables(rows, timepoints=_timepoint_codes(rows), baseline_code=BASELINE)
    report["friedman"] = _friedman_summary(complete_cases(rows, _core_codes()), _core_codes())
    return report


def study_response_report() -> dict:
    """Tables 2 and 3 (the `baseline`, `timepoints` and `friedman` sections), in one query."""
    return _response_report(_visit_rows())


def _enrolled_by_timepoint(today: date) -> dict[str, int]:
    """Per timepoint: patients whose window has closed before `today`, or who have a visit there. A follow-up
    visit (month4 ...) counts only for patients still on sirolimus when its window opened."""
    stops = sirolimus_stop_dates(patient_ids=Patient.objects.values_list("pk", flat=True))
    enrolled: dict[str, int] = {}
    slots = (ScheduledVisit.objects.filter(Q(latest__lt=today) | Q(visit__isnull=False))
             .values_list("code", "patient_id", "earliest", "visit__id"))
    for code, patient_id, earliest, visit_id in slots:
        stopped = stops.get(patient_id)
        if visit_id is None and is_follow_up(code) and stopped is not None and stopped <= earliest:
            continue  # not planned: sirolimus was stopped before this follow-up visit
        enrolled[code] = enrolled.get(code, 0) + 1
    return enrolled


def _outcome_rows(patients: list[PatientRow], rows: list[VisitRow]) -> list[OutcomeRow]:
    baseline = {r.patient_id: float(r.platelets) for r in rows if r.code == BASELINE}
    outcome = {r.patient_id: r.category for r in rows if r.code == OUTCOME_VISIT}
    return [OutcomeRow(male=p.sex == "male", age_over_40=age_in_years(p.birth_date, p.start_date) > AGE_CUT,
                       months_from_diagnosis=months_between(p.diagnosis_date, p.start_date),
                       baseline_platelets=baseline.get(p.patient_id), category=outcome.get(p.patient_id))
            for p in patients]


def declared_contributions() -> dict:
    """What the record types add to the study report (RecordType.report), in the order of the study's types."""
    return {key: value for record_type in record_types() if record_type.report is not None
            for key, value in record_type.report().items()}


def study_report(*, today: date | None = None) -> dict:
    """Everything `study_report --json` prints: the response tables, what dosing and safety add, then the paper's
    Tables 1, 2 (test and both denominators), 3 (normality), 4 and 5. `today` dates Table 2's enrolled
    denominators (default: today)."""
    today = today or study_today()
    rows = _visit_rows()
    patients = _patient_rows()
    report = _response_report(rows)
    core = _core_codes()
    treg = TregValues(*treg_values())
    return {
        **report,
        **declared_contributions(),
        "treg": treg_section(treg),
        "table1": clinical_characteristics(patients),
        # over the timepoints every patient has (the follow-up visits are the responders still on sirolimus)
        "table2_test": response_test([t for t in report["timepoints"] if t["visit"] in core]),
        "table2_rates": response_rates(report["timepoints"], enrolled=_enrolled_by_timepoint(today)),
        "table3_normality": normality(complete_cases(rows, core), core),
        "table4": response_factors(_outcome_rows(patients, rows)),
        "table5": table5_section(treg),
        "figure2": [{"visit": t.visit, "n": t.n, "q1": t.q1, "median": t.median, "q3": t.q3}
                    for t in timepoint_summaries(rows, codes=core)],
    }


def figure_labels() -> list[str]:
    return [slot_label(code) for code in _core_codes()]


def study_figure(*, number: int) -> str:
    """Figure 1 or 2 as an SVG document (two queries)."""
    rows = _visit_rows()
    codes = _core_codes()
    if number == 1:
        study_ids = dict(Patient.objects.values_list("pk", "study_id"))
        return figure1_svg(courses=patient_courses(rows, codes=codes, study_ids=study_ids), labels=figure_labels())
    return figure2_svg(summaries=timepoint_summaries(rows, codes=codes), labels=figure_labels())
