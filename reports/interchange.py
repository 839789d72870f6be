"""The study interchange document (SPEC §6): read and check a whole document, reporting every problem.

Pure: no database. `document_plan` turns a parsed JSON document into enrolment inputs, or a list of
problems, each prefixed with its JSON path (`patients[3].visits[2].platelets: must be ...`).
"""

import re
from dataclasses import dataclass, field
from datetime import date

from casebook.interchange import (
    PatientSection,
    Problems,
    SectionContext,
    StudySection,
    column_limits,
    parse_bool,
    parse_date,
    parse_number,
    parse_object,
    parse_text,
)
from casebook.registry import record_types
from patients.eligibility import PriorTherapyInput
from patients.models import Eligibility, Patient
from patients.vocabulary import Sex, Therapy
from visits.enrolment import ConsentInput, EligibilityInput, EnrolmentInput
from visits.models import Visit
from visits.schedule import BASELINE, PROTOCOL_SCHEDULE, UNSCHEDULED
from visits.services import VisitValues
from visits.validation import visit_problems

# The sections the record types declare, in the declarations' order (the order they are written and exported).
PATIENT_SECTIONS: tuple[PatientSection, ...] = tuple(
    t.section for t in record_types() if isinstance(t.section, PatientSection))
STUDY_SECTIONS: tuple[StudySection, ...] = tuple(
    t.section for t in record_types() if isinstance(t.section, StudySection))

FORMAT = "itp-trial/1"
# Matched whole (fullmatch): `$` alone would let "ITP-001\n" through. 12 digits fill Patient.study_id's 16 characters.
STUDY_ID_PATTERN = re.compile(r"ITP-\d{3,12}")

TOP_KEYS = {"format", "patients"}
PATIENT_KEYS = {
    "study_id", "sex", "birth_date", "diagnosis_date", "start_date", "weight_kg",
    "early_steroid_effective", "steroid_taper_at_start", "prior_therapies", "visits",
    "eligibility", "consent",  # additions: the enrolment checklist and the written consent
}
PRIOR_THERAPY_KEYS = {"therapy", "other_name", "stop_date"}
ELIGIBILITY_KEYS = {"checked_on", *Eligibility.CRITERIA, "second_line_washout", "washout_warning_acknowledged"}
CONSENT_KEYS = {"date", "form_version", "obtained_by"}
VISIT_KEYS = {"visit", "date", "platelets", "bleeding", "who_bleeding_grade", "haemoglobin", "white_cells"}
# Sections of the format this installation cannot store yet (added by the dosing and safety work);
# a key some app's section stores (reports/sections.py) is supported and drops out of these.
_FORMAT_TOP_KEYS = {"controls": "healthy-control Treg values"}
_FORMAT_PATIENT_KEYS = {
    "doses": "sirolimus doses",
    "troughs": "trough levels",
    "adverse_events": "adverse events",
    "treg_before": "Treg values",
    "treg_after": "Treg values",
}
SECTION_PATIENT_KEYS = {key for section in PATIENT_SECTIONS for key in section.keys}
SECTION_TOP_KEYS = {key for section in STUDY_SECTIONS for key in section.keys}
UNSUPPORTED_TOP_KEYS = {k: v for k, v in _FORMAT_TOP_KEYS.items() if k not in SECTION_TOP_KEYS}
UNSUPPORTED_PATIENT_KEYS = {k: v for k, v in _FORMAT_PATIENT_KEYS.items() if k not in SECTION_PATIENT_KEYS}


PLATELETS = column_limits(Visit, "platelets")
HAEMOGLOBIN = column_limits(Visit, "haemoglobin")
WHITE_CELLS = column_limits(Visit, "white_cells")
WEIGHT = column_limits(Patient, "weight_kg")


@dataclass(frozen=True)
class PlannedVisit:
    code: str
    values: VisitValues


@dataclass
class PlannedPatient:
    enrolment: EnrolmentInput
    visits: list[PlannedVisit]
    sections: list[tuple[PatientSection, object]] = field(default_factory=list)


@dataclass
class ImportPlan:
    patients: list[PlannedPatient] = field(default_factory=list)
    study_sections: list[tuple[object, object]] = field(default_factory=list)  # (StudySection, planned)
    skipped: list[str] = field(default_factory=list)  # sections ignored by --skip-unsupported


def _unknown_keys(obj: dict, allowed: set[str], unsupported: dict[str, str], path: str, problems: Problems,
                  plan: ImportPlan, skip_unsupported: bool) -> None:
    for key in obj:
        if key in allowed:
            continue
        if key in unsupported:
            if skip_unsupported:
                plan.skipped.append(f"{path}.{key}" if path else key)
            else:
                problems.add(f"{path}.{key}" if path else key,
                             f"{unsupported[key]} are not supported by this installation yet "
                             "(use --skip-unsupported to ignore them)")
        else:
            problems.add(path or "(document)", f"unknown key '{key}'")


def _visit(raw, path: str, problems: Problems, *, day0: date | None, today: date) -> PlannedVisit | None:
    if not isinstance(raw, dict):
        problems.add(path, "must be an object")
        return None
    for key in raw:
        if key not in VISIT_KEYS:
            problems.add(path, f"unknown key '{key}'")
    code = raw.get("visit")
    if not isinstance(code, str) or not code:
        problems.add(f"{path}.visit", "is required (a schedule code, or any other code for an unscheduled visit)")
        code = None  # the visit's other values are still checked, so every problem is reported at once
    elif PROTOCOL_SCHEDULE.get(code) is None:
        code = UNSCHEDULED
    visit_date = parse_date(raw.get("date"), f"{path}.date", problems)
    platelets = parse_number(raw.get("platelets"), f"{path}.platelets", problems, limits=PLATELETS, check_range=False)
    haemoglobin = parse_number(raw.get("haemoglobin"), f"{path}.haemoglobin", problems, required=False,
                               limits=HAEMOGLOBIN)
    white_cells = parse_number(raw.get("white_cells"), f"{path}.white_cells", problems, required=False,
                               limits=WHITE_CELLS)
    grade = raw.get("who_bleeding_grade")
    bleeding = parse_bool(raw.get("bleeding"), f"{path}.bleeding", problems)
    if grade is not None and (isinstance(grade, bool) or not isinstance(grade, int)):
        problems.add(f"{path}.who_bleeding_grade", "must be a whole number from 0 to 4")
        grade = None
    if grade is not None and bleeding is not None and bleeding != (grade >= 1):
        problems.add(path, "'bleeding' and 'who_bleeding_grade' disagree")
    # The checks typed visits get. A missing or unreadable value was reported above, so its "is required" is
    # dropped; without a day 0 (or a code) the date is only checked against today.
    anchor = day0 if day0 is not None and code is not None else (visit_date or today)
    found = visit_problems(code=code or UNSCHEDULED, visit_date=visit_date, day0=anchor, today=today,
                           platelets=platelets, bleeding_grade=grade, bleeding_required=False)
    reported = {"visit_date": visit_date is None, "platelets": platelets is None}
    for name, messages in found.items():
        if reported.get(name):
            continue
        key = {"visit_date": "date", "bleeding_grade": "who_bleeding_grade"}.get(name, name)
        for message in messages:
            problems.add(f"{path}.{key}", message)
    if code is None or visit_date is None or platelets is None:
        return None
    return PlannedVisit(code, VisitValues(
        visit_date=visit_date, platelets=platelets, bleeding_grade=grade,
        bleeding_reported=bleeding if grade is None else None,
        haemoglobin=haemoglobin, white_cells=white_cells,
    ))


def _patient(raw, path: str, problems: Problems, plan: ImportPlan, *, today: date,
             skip_unsupported: bool) -> PlannedPatient | None:
    if not isinstance(raw, dict):
        problems.add(path, "must be an object")
        return None
    _unknown_keys(raw, PATIENT_KEYS | SECTION_PATIENT_KEYS, UNSUPPORTED_PATIENT_KEYS, path, problems, plan,
                  skip_unsupported)
    before = len(problems.items)
    study_id = raw.get("study_id")
    if not isinstance(study_id, str) or not STUDY_ID_PATTERN.fullmatch(study_id):
        problems.add(f"{path}.study_id", "must be a study id like ITP-001")
    sex = raw.get("sex")
    if sex not in Sex.values:
        problems.add(f"{path}.sex", f"must be one of {', '.join(Sex.values)}")
    birth = parse_date(raw.get("birth_date"), f"{path}.birth_date", problems)
    diagnosis = parse_date(raw.get("diagnosis_date"), f"{path}.diagnosis_date", problems)
    start = parse_date(raw.get("start_date"), f"{path}.start_date", problems)
    weight = parse_number(raw.get("weight_kg"), f"{path}.weight_kg", problems, required=False, limits=WEIGHT)
    early = parse_bool(raw.get("early_steroid_effective"), f"{path}.early_steroid_effective", problems)
    taper = parse_bool(raw.get("steroid_taper_at_start"), f"{path}.steroid_taper_at_start", problems)

    therapies: list[PriorTherapyInput] = []
    raw_therapies = raw.get("prior_therapies", [])
    if not isinstance(raw_therapies, list):
        problems.add(f"{path}.prior_therapies", "must be a list")
        raw_therapies = []
    for j, item in enumerate(raw_therapies):
        therapy = _prior_therapy(item, f"{path}.prior_therapies[{j}]", problems)
        if therapy is None:
            continue
        if any(t.therapy == therapy.therapy for t in therapies):
            problems.add(f"{path}.prior_therapies[{j}]", f"'{therapy.therapy}' is listed twice")
        else:
            therapies.append(therapy)
    eligibility = _eligibility(raw, path, problems, today) if "eligibility" in raw else None
    consent = _consent(raw, path, problems, today) if "consent" in raw else None

    visits: list[PlannedVisit] = []
    raw_visits = raw.get("visits")
    if not isinstance(raw_visits, list) or not raw_visits:
        problems.add(f"{path}.visits", "must be a list holding at least the baseline visit")
        raw_visits = []
    for j, raw_visit in enumerate(raw_visits):
        visit = _visit(raw_visit, f"{path}.visits[{j}]", problems, day0=start, today=today)
        if visit is None:
            continue
        if visit.code != UNSCHEDULED and any(v.code == visit.code for v in visits):
            if PROTOCOL_SCHEDULE.get(visit.code).follow_up:
                # Documents written before schedule 1.1 repeat follow-up codes (then unscheduled): the first one
                # takes the slot, a repeat stays an unscheduled visit placed by its date.
                visits.append(PlannedVisit(UNSCHEDULED, visit.values))
                continue
            problems.add(f"{path}.visits[{j}].visit", f"'{visit.code}' appears twice")
            continue
        visits.append(visit)
    # Judged on the codes given, so it is reported alongside other problems (a baseline visit with a bad value
    # is not also called missing).
    if raw_visits and not any(isinstance(v, dict) and v.get("visit") == BASELINE for v in raw_visits):
        problems.add(f"{path}.visits", "a baseline visit is required")

    if birth and diagnosis and start:
        for name, message in _dates_in_order(birth, diagnosis, start, today):
            problems.add(f"{path}.{name}", message)
    context = SectionContext(today=today, start_date=start, birth_date=birth)
    sections = []
    for section in PATIENT_SECTIONS:
        if any(key in raw for key in section.keys):
            planned = section.parse(raw, path, problems, context)
            if planned is not None:
                sections.append((section, planned))
    if len(problems.items) != before:
        return None
    baseline = next(v for v in visits if v.code == BASELINE)
    enrolment = EnrolmentInput(
        sex=sex, birth_date=birth, diagnosis_date=diagnosis, start_date=start, baseline=baseline.values,
        weight_kg=weight, early_steroid_effective=early, steroid_taper_at_start=bool(taper),
        prior_therapies=therapies, study_id=study_id, eligibility=eligibility, consent=consent,
    )
    return PlannedPatient(enrolment, [v for v in visits if v.code != BASELINE], sections)


def _prior_therapy(item, path: str, problems: Problems) -> PriorTherapyInput | None:
    """A therapy's name, or (an addition) an object with its name, "other_name" and "stop_date"."""
    if isinstance(item, dict):
        if not parse_object(item, path, PRIOR_THERAPY_KEYS, problems):
            return None
        name = item.get("therapy")
        other = parse_text(item, "other_name", path, problems, limit=80)
        stop = parse_date(item.get("stop_date"), f"{path}.stop_date", problems, required=False)
    else:
        name, other, stop = item, "", None
    if name not in Therapy.values:
        problems.add(f"{path}.therapy" if isinstance(item, dict) else path,
                     f"unknown therapy '{name}'; use one of {', '.join(Therapy.values)}")
        return None
    return PriorTherapyInput(therapy=name, other_name=other, stop_date=stop)


def _eligibility(raw: dict, path: str, problems: Problems, today: date) -> EligibilityInput | None:
    here = f"{path}.eligibility"
    item = raw["eligibility"]
    if not parse_object(item, here, ELIGIBILITY_KEYS, problems):
        return None
    checked_on = parse_date(item.get("checked_on"), f"{here}.checked_on", problems)
    if checked_on is not None and checked_on > today:
        problems.add(f"{here}.checked_on", "cannot be in the future")
    ticks = {name: parse_bool(item.get(name), f"{here}.{name}", problems)
             for name in (*Eligibility.CRITERIA, "second_line_washout", "washout_warning_acknowledged")}
    if checked_on is None:
        return None
    return EligibilityInput(criteria={name: bool(ticks[name]) for name in Eligibility.CRITERIA},
                            second_line_washout=bool(ticks["second_line_washout"]),
                            washout_warning_acknowledged=bool(ticks["washout_warning_acknowledged"]),
                            checked_on=checked_on)


def _consent(raw: dict, path: str, problems: Problems, today: date) -> ConsentInput | None:
    here = f"{path}.consent"
    item = raw["consent"]
    if not parse_object(item, here, CONSENT_KEYS, problems):
        return None
    consented = parse_date(item.get("date"), f"{here}.date", problems)
    if consented is not None and consented > today:
        problems.add(f"{here}.date", "cannot be in the future")
    form_version = parse_text(item, "form_version", here, problems, limit=32, required=True)
    obtained_by = parse_text(item, "obtained_by", here, problems, limit=120, required=True)
    if consented is None or not form_version or not obtained_by:
        return None
    return ConsentInput(consent_date=consented, version=form_version, obtained_by=obtained_by)


def _dates_in_order(birth: date, diagnosis: date, start: date, today: date) -> list[tuple[str, str]]:
    """(field, message) for each problem of the patient's dates, e.g. ("diagnosis_date", "cannot be ...")."""
    from patients.eligibility import date_problems

    found = date_problems(birth_date=birth, diagnosis_date=diagnosis, start_date=start, today=today)
    return [(name, message) for name, messages in found.items() for message in messages]


def document_plan(document, *, today: date, existing_study_ids: set[str],
                  skip_unsupported: bool = False) -> tuple[ImportPlan, list[str]]:
    """Check the whole document; return the plan and every problem found (empty when importable)."""
    problems = Problems()
    plan = ImportPlan()
    if not isinstance(document, dict):
        problems.add("(document)", "must be a JSON object")
        return plan, problems.items
    if document.get("format") != FORMAT:
        problems.add("format", f"must be '{FORMAT}'")
    _unknown_keys(document, TOP_KEYS | SECTION_TOP_KEYS, UNSUPPORTED_TOP_KEYS, "", problems, plan, skip_unsupported)
    for section in STUDY_SECTIONS:
        if any(key in document for key in section.keys):
            planned = section.parse(document, problems, today)
            if planned is not None:
                plan.study_sections.append((section, planned))
    patients = document.get("patients")
    if not isinstance(patients, list):
        problems.add("patients", "must be a list")
        patients = []
    seen: set[str] = set()
    for i, raw in enumerate(patients):
        path = f"patients[{i}]"
        study_id = raw.get("study_id") if isinstance(raw, dict) else None
        if isinstance(study_id, str):
            if study_id in existing_study_ids:
                problems.add(f"{path}.study_id", f"{study_id} already exists in this installation")
            if study_id in seen:
                problems.add(f"{path}.study_id", f"{study_id} appears twice in the document")
            seen.add(study_id)
        planned = _patient(raw, path, problems, plan, today=today, skip_unsupported=skip_unsupported)
        if planned is not None:
            plan.patients.append(planned)
    return plan, problems.items
