"""The export datasets: columns (the codebook) and their rows, read in streams whatever the study's size.

Each dataset yields plain Python values in column order; reports/csvformat.py turns them into cells.
The visits dataset also has a PostgreSQL COPY form producing the same bytes much faster
(reports/tests/test_exports.py proves both forms agree). No dataset holds names, phone numbers or
birth dates: patients carry their age at start instead.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps

from audit.history import hidden_fields
from audit.models import ClinicalRecord
from dosing.models import DoseChange, Trough
from dosing.protocol import current_dosing_protocol
from dosing.tdm import classify_trough
from patients.demographics import age_in_years, months_between
from patients.models import Patient
from safety.models import AdverseEvent, LabValue
from visits.models import ScheduledVisit, Visit
from visits.protocol import current_protocol
from visits.schedule import PROTOCOL_SCHEDULE, UNSCHEDULED

CHUNK = 5000
CATEGORIES = "CR, R, NR, NE"


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str  # text, integer, decimal, date, datetime, boolean
    unit: str = ""
    allowed: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterator[tuple]]
    count: Callable[[], int]
    copy_sql: Callable[[], str] | None = None  # PostgreSQL: the same rows as CSV through COPY
    count_unit: str = "rows"


# --- patients ---------------------------------------------------------------------------------------------------

PATIENT_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("sex", "Sex", "text", allowed="female, male"),
    Column("age_at_start", "Age at sirolimus start", "integer", "years"),
    Column("weight_kg", "Weight", "decimal", "kg"),
    Column("diagnosis_date", "ITP diagnosis date", "date"),
    Column("start_date", "Sirolimus start (day 0)", "date"),
    Column("months_from_diagnosis", "Months from diagnosis to start", "decimal", "months"),
    Column("early_steroid_effective", "Early glucocorticoid therapy effective", "boolean", allowed="true, false"),
    Column("steroid_taper_at_start", "Glucocorticoid taper in progress at start", "boolean", allowed="true, false"),
    Column("prior_therapies", "Prior therapies (semicolon-separated)", "text",
           allowed="glucocorticoids, ivig, cyclosporine, tpo_ra, eltrombopag, azathioprine, tcm, rituximab, other"),
    Column("best_response", "Best response", "text", allowed=CATEGORIES),
    Column("current_status", "Current status", "text", allowed=CATEGORIES),
    Column("confirmed", "Confirmed response", "boolean", allowed="true, false"),
    Column("confirmed_category", "Confirmed response category", "text", allowed="CR, R"),
    Column("response_date", "Response date (first of the confirming pair)", "date"),
    Column("time_to_response_days", "Time to response", "integer", "days"),
    Column("relapsed", "Relapse", "boolean", allowed="true, false"),
    Column("relapse_date", "Relapse date", "date"),
    Column("time_to_confirmed_response_days", "Time to confirmed response (IWG: first of the confirming pair)",
           "integer", "days"),
    Column("downgraded", "Confirmed CR lost to R (downgrade, not a relapse)", "boolean", allowed="true, false"),
    Column("downgrade_date", "Downgrade date (first of the two counts below 100)", "date"),
    Column("cr_lost_date", "Loss of a confirmed CR (to R or to NR), first of the two counts", "date"),
    Column("response_events", "Changes of the confirmed response, oldest first (date kind from>to)", "text",
           allowed="e.g. 2026-03-09 confirmed >R; 2026-04-02 upgraded R>CR; 2026-06-01 downgrade CR>R; "
                   "2026-07-01 relapse R>NR"),
)


def _events_text(events: list[dict]) -> str | None:
    return "; ".join(f"{e['date']} {e['kind']} {e['from'] or ''}>{e['to']}" for e in events) or None


def patient_rows() -> Iterator[tuple]:
    patients = Patient.objects.select_related("response").prefetch_related("prior_therapies").order_by("study_id")
    for p in patients.iterator(chunk_size=CHUNK):
        r = getattr(p, "response", None)
        yield (
            p.study_id, p.sex, age_in_years(p.birth_date, p.start_date), p.weight_kg, p.diagnosis_date,
            p.start_date, months_between(p.diagnosis_date, p.start_date), p.early_steroid_effective,
            p.steroid_taper_at_start, ";".join(sorted(t.therapy for t in p.prior_therapies.all())),
            r and r.best_response, r and r.current_status, r and r.confirmed, (r and r.confirmed_category) or None,
            r and r.response_date, r and r.time_to_response_days, r and r.relapsed, r and r.relapse_date,
            r and r.time_to_confirmed_response_days, r and r.downgraded, r and r.downgrade_date,
            r and r.cr_lost_date, _events_text(r.events) if r else None,
        )


# --- visits -----------------------------------------------------------------------------------------------------

VISIT_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("visit", "Visit (schedule code or unscheduled)", "text",
           allowed=", ".join([*PROTOCOL_SCHEDULE.codes, UNSCHEDULED])),
    Column("date", "Visit date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("platelets", "Platelet count", "decimal", "×10^9/L"),
    Column("bleeding", "Bleeding (WHO grade ≥ 1)", "boolean", allowed="true, false; empty = not recorded"),
    Column("bleeding_grade", "WHO bleeding grade", "integer", allowed="0-4; empty = not graded"),
    Column("haemoglobin", "Haemoglobin", "decimal", "g/L"),
    Column("white_cells", "White cells", "decimal", "×10^9/L"),
    Column("category", "Response category at this visit (computed on save)", "text", allowed=CATEGORIES),
    Column("in_rescue_window", "Within 28 days after rescue therapy", "boolean", allowed="true, false"),
    Column("out_of_window_days", "Days outside the visit window (- early, + late)", "integer", "days"),
)


def _bleeding(grade: int | None, reported: bool | None, minimum: int) -> bool | None:
    if grade is not None:
        return grade >= minimum
    return reported


def visit_rows() -> Iterator[tuple]:
    minimum = current_protocol().bleeding_grade_min
    visits = Visit.objects.order_by("patient__study_id", "visit_date", "id").values_list(
        "patient__study_id", "slot__code", "visit_date", "patient__start_date", "platelets", "bleeding_grade",
        "bleeding_reported", "haemoglobin", "white_cells", "category", "in_rescue_window", "out_of_window_days",
    )
    for sid, code, day_date, start, platelets, grade, reported, hb, wbc, category, rescue, outside in visits.iterator(
        chunk_size=CHUNK
    ):
        yield (sid, code or UNSCHEDULED, day_date, (day_date - start).days, platelets,
               _bleeding(grade, reported, minimum), grade, hb, wbc, category, rescue, outside)


def _sql_text(expression: str) -> str:
    """The SQL form of csvformat.neutralise."""
    return f"CASE WHEN {expression} ~ '^[-=+@\\t\\r]' THEN '''' || {expression} ELSE {expression} END"


def _sql_bool(expression: str) -> str:
    return f"CASE WHEN {expression} IS NULL THEN NULL WHEN {expression} THEN 'true' ELSE 'false' END"


def visit_copy_sql() -> str:
    minimum = int(current_protocol().bleeding_grade_min)
    v, p, s = Visit._meta.db_table, Patient._meta.db_table, ScheduledVisit._meta.db_table
    return f"""
        SELECT {_sql_text("p.study_id")}, {_sql_text(f"COALESCE(s.code, '{UNSCHEDULED}')")}, v.visit_date,
               v.visit_date - p.start_date, v.platelets,
               {_sql_bool(f"COALESCE(v.bleeding_grade >= {minimum}, v.bleeding_reported)")},
               v.bleeding_grade, v.haemoglobin, v.white_cells, {_sql_text("v.category")},
               {_sql_bool("v.in_rescue_window")}, v.out_of_window_days
        FROM {v} v JOIN {p} p ON p.id = v.patient_id LEFT JOIN {s} s ON s.id = v.slot_id
        ORDER BY p.study_id, v.visit_date, v.id
    """


# --- doses, troughs, labs, adverse events ---------------------------------------------------------------------

DOSE_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("start_date", "Dose in force from", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("mg_per_day", "Sirolimus dose (0 = stopped)", "decimal", "mg/day"),
    Column("phase", "Phase", "text", allowed="start, maintenance, adjustment, taper, stop"),
    Column("change_reason", "Reason for change", "text"),
    Column("outside_protocol_range", "Outside the protocol range for the age group", "boolean",
           allowed="true, false"),
    Column("outside_range_reason", "Reason given for a dose outside the range", "text"),
    Column("prescribed_by", "Prescribed by", "text"),
)


def dose_rows() -> Iterator[tuple]:
    changes = DoseChange.objects.order_by("patient__study_id", "start_date", "id").values_list(
        "patient__study_id", "start_date", "patient__start_date", "mg_per_day", "phase", "change_reason",
        "out_of_range_reason", "prescribed_by")
    for sid, start, day0, mg, phase, reason, range_reason, prescriber in changes.iterator(chunk_size=CHUNK):
        yield (sid, start, (start - day0).days, mg, phase, reason or None, bool(range_reason), range_reason or None,
               prescriber)


TROUGH_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("sample_date", "Sample date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("sample_time", "Sample time (local)", "text", allowed="HH:MM"),
    Column("hours_since_dose", "Hours since the last dose", "decimal", "h"),
    Column("ng_ml", "Sirolimus whole-blood trough", "decimal", "ng/mL"),
    Column("classification", "Against the 5-15 ng/mL target", "text", allowed="low, in range, high"),
    Column("lab", "Laboratory", "text"),
    Column("review", "Physician's decision on the suggested dose", "text", allowed="accepted, dismissed; empty = open"),
)


def trough_rows() -> Iterator[tuple]:
    protocol = current_dosing_protocol()
    troughs = Trough.objects.order_by("patient__study_id", "sample_date", "sample_time", "id").values_list(
        "patient__study_id", "sample_date", "patient__start_date", "sample_time", "hours_since_dose", "ng_ml", "lab",
        "review")
    for sid, sampled, day0, time, hours, ng_ml, lab, review in troughs.iterator(chunk_size=CHUNK):
        yield (sid, sampled, (sampled - day0).days, time.strftime("%H:%M") if time else None, hours, ng_ml,
               classify_trough(ng_ml, protocol), lab or None, review or None)


LAB_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("sample_date", "Sample date", "date"),
    Column("day", "Days since day 0", "integer", "days"),
    Column("panel", "Panel", "text", allowed="lipids, liver, kidney, haematology"),
    Column("analyte", "Analyte", "text"),
    Column("value", "Value as reported", "decimal", "see unit"),
    Column("unit", "Unit as reported", "text"),
    Column("lln", "Lower limit of normal (lab)", "decimal", "see unit"),
    Column("uln", "Upper limit of normal (lab)", "decimal", "see unit"),
    Column("grade", "CTCAE v5 grade computed from the value", "integer", allowed="1-4; empty = not graded"),
    Column("graded_term", "CTCAE term of the grade", "text"),
)


def lab_rows() -> Iterator[tuple]:
    values = LabValue.objects.order_by("patient__study_id", "sample_date", "panel", "analyte", "id").values_list(
        "patient__study_id", "sample_date", "patient__start_date", "panel", "analyte", "value", "unit", "lln", "uln",
        "grade", "graded_term")
    for sid, sampled, day0, panel, analyte, value, unit, lln, uln, grade, term in values.iterator(chunk_size=CHUNK):
        yield (sid, sampled, (sampled - day0).days, panel, analyte, value, unit, lln, uln, grade, term or None)


AE_COLUMNS = (
    Column("study_id", "Study id", "text"),
    Column("term", "CTCAE v5 term (or free text when uncoded)", "text"),
    Column("coded", "Term from the CTCAE list", "boolean", allowed="true, false"),
    Column("meddra_code", "MedDRA code", "text"),
    Column("soc", "System organ class", "text"),
    Column("grade", "CTCAE grade", "integer", allowed="1-5"),
    Column("onset_date", "Onset date", "date"),
    Column("onset_day", "Onset, days since day 0", "integer", "days"),
    Column("end_date", "Resolution date", "date"),
    Column("serious", "Serious", "boolean", allowed="true, false"),
    Column("relation", "Relation to sirolimus", "text"),
    Column("action", "Action taken", "text"),
    Column("outcome", "Outcome", "text"),
    Column("death_date", "Date of death (grade 5)", "date"),
    Column("ctcae_version", "CTCAE version", "text"),
    Column("from_lab", "Confirmed from a graded lab value", "boolean", allowed="true, false"),
)


def adverse_event_rows() -> Iterator[tuple]:
    events = AdverseEvent.objects.order_by("patient__study_id", "onset_date", "id").values_list(
        "patient__study_id", "term", "coded", "meddra_code", "soc", "grade", "onset_date", "patient__start_date",
        "end_date", "serious", "relation", "action", "outcome", "death_date", "ctcae_version", "lab_value_id")
    for (sid, term, coded, meddra, soc, grade, onset, day0, end, serious, relation, action, outcome, death, version,
         lab_value_id) in events.iterator(chunk_size=CHUNK):
        yield (sid, term, coded, meddra or None, soc or None, grade, onset, (onset - day0).days, end, serious,
               relation, action, outcome, death, version, lab_value_id is not None)


# --- audit ------------------------------------------------------------------------------------------------------

AUDIT_COLUMNS = (
    Column("model", "Record type", "text"),
    Column("record", "Record id", "integer"),
    Column("study_id", "Study id", "text"),
    Column("action", "Action", "text", allowed="created, changed"),
    Column("field", "Field changed", "text"),
    Column("old", "Old value", "text"),
    Column("new", "New value", "text"),
    Column("user", "User", "text"),
    Column("time_utc", "Time", "datetime", "UTC"),
    Column("reason", "Reason for change", "text"),
)


def clinical_models() -> list:
    return sorted((m for m in apps.get_models() if issubclass(m, ClinicalRecord)), key=lambda m: m._meta.label)


def audit_rows() -> Iterator[tuple]:
    study_ids = dict(Patient.objects.values_list("id", "study_id"))
    for model in clinical_models():
        hidden = hidden_fields(model) | set(getattr(model, "PERSONAL_FIELDS", ()))  # identifying: never exported
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in hidden]
        patient_field = "id" if model is Patient else "patient_id"
        history = model.history.model.objects.order_by("id", "history_date", "history_id").values_list(
            *fields, "history_type", "history_user__username", "history_date", "history_change_reason"
        )
        previous: tuple | None = None
        for record in history.iterator(chunk_size=CHUNK):
            values = dict(zip(fields, record[: len(fields)], strict=True))
            kind, username, when, reason = record[len(fields):]
            study_id = study_ids.get(values.get(patient_field))
            base = (model._meta.label, values["id"], study_id)
            if previous is None or previous[0] != values["id"] or kind == "+":
                yield (*base, "created", None, None, None, username, when, reason)
            else:
                for name in fields:
                    if values[name] != previous[1][name]:
                        yield (*base, "changed", name, _text(previous[1][name]), _text(values[name]), username,
                               when, reason)
            previous = (values["id"], values)


def audit_row_count() -> int:
    """The rows the audit CSV holds, counted as they are written (a history entry gives one row per field it
    changed, none when it changed nothing shown): the Exports page and the CSV agree."""
    return sum(1 for _ in audit_rows())


def _text(value) -> str | None:
    return None if value is None else str(value)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("patients", "Patients", PATIENT_COLUMNS, patient_rows, lambda: Patient.objects.count()),
        Dataset("visits", "Visits", VISIT_COLUMNS, visit_rows, lambda: Visit.objects.count(), visit_copy_sql),
        Dataset("doses", "Sirolimus doses", DOSE_COLUMNS, dose_rows, lambda: DoseChange.objects.count()),
        Dataset("troughs", "Trough levels", TROUGH_COLUMNS, trough_rows, lambda: Trough.objects.count()),
        Dataset("labs", "Safety labs", LAB_COLUMNS, lab_rows, lambda: LabValue.objects.count()),
        Dataset("adverse_events", "Adverse events", AE_COLUMNS, adverse_event_rows,
                lambda: AdverseEvent.objects.count()),
        Dataset("audit", "Audit trail", AUDIT_COLUMNS, audit_rows, audit_row_count,
                count_unit="rows (one per created record and per changed field)"),
    )
}

# --- account changes (the account audit, from accounts/) -------------------------------------------------------
from accounts.export import ACCOUNT_CHANGE_COLUMNS, account_change_count, account_change_rows  # noqa: E402

DATASETS["account_changes"] = Dataset("account_changes", "Account changes", tuple(
    Column(*column) for column in ACCOUNT_CHANGE_COLUMNS), account_change_rows, account_change_count)
