"""The interchange sections the safety app stores (see reports/interchange_base.py).

Patient keys:
- `adverse_events`: [{"term", "grade", "onset"} + optional "resolved" (bool), "end_date", "serious" (bool),
  "relation", "action", "outcome", "death_date"]. `term` is a CTCAE v5.0 term (case-insensitive; others are
  kept as uncoded). Without "outcome" [decision]: resolved → recovered, otherwise ongoing (fatal for grade 5);
  without "relation": not assessed.
- `labs`: [{"date", "values": [{"analyte", "value", "unit"} + optional "uln", "lln"]} + optional "laboratory"];
  analytes are safety.ctcae codes. Graded values propose adverse events exactly as entered on screen.
- `treg_before`, `treg_after`: Treg % of CD4+ at baseline and month 3.
Top-level key `controls`: [{"control_id", "treg"} + optional "sample_date"].

Every check the services make is made here first, with its JSON path: the import is all-or-nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reports.interchange_base import (
    PatientSection,
    Problems,
    SectionContext,
    StudySection,
    column_limits,
    parse_bool,
    parse_date,
    parse_list,
    parse_number,
    parse_object,
    parse_text,
)

from .ctcae import ANALYTES_BY_CODE
from .models import Action, HealthyControl, LabValue, Outcome, Relation, TregMeasurement
from .services import (
    AeInput,
    LabInput,
    adverse_event_record,
    ae_problems,
    healthy_control_record,
    lab_problems,
    lab_sample_record,
    treg_record,
)

AE_KEYS = {"term", "grade", "onset", "resolved", "end_date", "serious", "relation", "action", "outcome",
           "death_date"}
LAB_KEYS = {"date", "values", "laboratory"}
VALUE_KEYS = {"analyte", "value", "unit", "uln", "lln"}
CONTROL_KEYS = {"control_id", "treg", "sample_date"}
AE_FIELD_PATHS = {"onset_date": "onset", "end_date": "end_date", "death_date": "death_date", "grade": "grade",
                  "term": "term", "outcome": "outcome"}
TREG = column_limits(TregMeasurement, "percent")
LAB_NUMBER = column_limits(LabValue, "value")


SENTENCE_STARTS = {"Cannot", "Must", "Grade", "Only", "Give", "Enter", "A", "An", "Unknown", "Entered", "Choose"}


def _phrase(message: str) -> str:
    """A service message as an importer problem ("Cannot be ..." → "cannot be ..."); names keep their case."""
    first, _, rest = message.partition(" ")
    return f"{first.lower()} {rest}" if first in SENTENCE_STARTS else message


def _choice(item: dict, key: str, path: str, choices, default: str, problems: Problems) -> str:
    value = item.get(key)
    if value is None:
        return default
    if value not in choices.values:
        problems.add(f"{path}.{key}", f"must be one of {', '.join(choices.values)}")
        return default
    return value


# ---------------------------------------------------------------- adverse events


def _parse_events(raw: dict, path: str, problems: Problems, context: SectionContext) -> list[AeInput] | None:
    before = len(problems.items)
    planned = []
    for i, item in enumerate(parse_list(raw, "adverse_events", path, problems)):
        here = f"{path}.adverse_events[{i}]"
        if not parse_object(item, here, AE_KEYS, problems):
            continue
        term = parse_text(item, "term", here, problems, limit=120, required=True)
        grade = item.get("grade")
        if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 5:
            problems.add(f"{here}.grade", "must be a whole number 1 to 5")
            grade = None
        onset = parse_date(item.get("onset"), f"{here}.onset", problems)
        end = parse_date(item.get("end_date"), f"{here}.end_date", problems, required=False)
        death = parse_date(item.get("death_date"), f"{here}.death_date", problems, required=False)
        resolved = parse_bool(item.get("resolved"), f"{here}.resolved", problems)
        serious = parse_bool(item.get("serious"), f"{here}.serious", problems)
        default_outcome = (Outcome.FATAL if grade == 5 else Outcome.RECOVERED if resolved else Outcome.ONGOING)
        outcome = _choice(item, "outcome", here, Outcome, default_outcome, problems)
        relation = _choice(item, "relation", here, Relation, Relation.NOT_ASSESSED, problems)
        action = _choice(item, "action", here, Action, Action.NONE, problems)
        if resolved is False and end is not None:
            problems.add(f"{here}.end_date", "an event that is not resolved has no end date")
        if None in (grade, onset) or not term:
            continue
        data = AeInput(term=term, grade=grade, onset_date=onset, end_date=end, serious=bool(serious),
                       relation=relation, action=action, outcome=outcome, death_date=death)
        if context.start_date is not None:
            for name, messages in ae_problems(start_date=context.start_date, data=data, today=context.today).items():
                for message in messages:
                    problems.add(f"{here}.{AE_FIELD_PATHS.get(name, name)}", _phrase(message))
        planned.append(data)
    return planned if len(problems.items) == before else None


def _write_events(*, patient, planned: list[AeInput], user, reason: str, today: date) -> int:
    for data in planned:
        adverse_event_record(patient=patient, data=data, user=user, reason=reason, today=today)
    return len(planned)


# ---------------------------------------------------------------- labs


@dataclass(frozen=True)
class PlannedLab:
    sample_date: date
    laboratory: str
    values: list[LabInput]


def _value_path(here: str, key: str, index: dict[str, int]) -> str:
    """The JSON path of a service problem key (`alt`, `alt_unit`, `alt_uln`, `sample_date`, `__all__`)."""
    if key == "sample_date":
        return f"{here}.date"
    code, suffix = key, "value"
    head, _, tail = key.rpartition("_")
    if tail in {"unit", "uln", "lln"} and head in ANALYTES_BY_CODE:
        code, suffix = head, tail
    position = index.get(code)
    return f"{here}.values[{position}].{suffix}" if position is not None else f"{here}.values"


def _parse_labs(raw: dict, path: str, problems: Problems, context: SectionContext) -> list[PlannedLab] | None:
    before = len(problems.items)
    planned = []
    for i, item in enumerate(parse_list(raw, "labs", path, problems)):
        here = f"{path}.labs[{i}]"
        if not parse_object(item, here, LAB_KEYS, problems):
            continue
        sample_date = parse_date(item.get("date"), f"{here}.date", problems)
        laboratory = parse_text(item, "laboratory", here, problems, limit=80)
        values, index = [], {}
        for j, value in enumerate(parse_list(item, "values", here, problems)):
            vpath = f"{here}.values[{j}]"
            if not parse_object(value, vpath, VALUE_KEYS, problems):
                continue
            analyte = value.get("analyte")
            if analyte not in ANALYTES_BY_CODE:
                problems.add(f"{vpath}.analyte", f"must be one of {', '.join(ANALYTES_BY_CODE)}")
                continue
            number = parse_number(value.get("value"), f"{vpath}.value", problems, limits=LAB_NUMBER)
            uln = parse_number(value.get("uln"), f"{vpath}.uln", problems, required=False, limits=LAB_NUMBER)
            lln = parse_number(value.get("lln"), f"{vpath}.lln", problems, required=False, limits=LAB_NUMBER)
            unit = value.get("unit")
            if not isinstance(unit, str):
                problems.add(f"{vpath}.unit", "is required")
                continue
            if number is None:
                continue
            index.setdefault(analyte, j)
            values.append(LabInput(analyte=analyte, value=number, unit=unit, uln=uln, lln=lln))
        if sample_date is None:
            continue
        if context.start_date is not None:
            found = lab_problems(start_date=context.start_date, sample_date=sample_date, values=values,
                                 today=context.today)
            for key, messages in found.items():
                for message in messages:
                    problems.add(_value_path(here, key, index), _phrase(message))
        planned.append(PlannedLab(sample_date, laboratory, values))
    return sorted(planned, key=lambda p: p.sample_date) if len(problems.items) == before else None


def _write_labs(*, patient, planned: list[PlannedLab], user, reason: str, today: date) -> int:
    count = 0
    for lab in planned:  # in date order: a later sample's baseline is the earlier one
        lab_sample_record(patient=patient, sample_date=lab.sample_date, laboratory=lab.laboratory,
                          values=lab.values, user=user, reason=reason, today=today)
        count += 1 + len(lab.values)
    return count


# ---------------------------------------------------------------- Treg


def _parse_treg(raw: dict, path: str, problems: Problems, context: SectionContext) -> dict | None:
    before = len(problems.items)
    planned = {}
    for key, timepoint in (("treg_before", TregMeasurement.Timepoint.BASELINE),
                           ("treg_after", TregMeasurement.Timepoint.MONTH3)):
        if key in raw:
            value = parse_number(raw[key], f"{path}.{key}", problems, limits=TREG)
            if value is not None:
                planned[timepoint] = value
    return planned if len(problems.items) == before else None


def _write_treg(*, patient, planned: dict, user, reason: str, today: date) -> int:
    for timepoint, percent in planned.items():
        treg_record(patient=patient, timepoint=timepoint, percent=percent, sample_date=None, user=user,
                    reason=reason, today=today)
    return len(planned)


# ---------------------------------------------------------------- healthy controls


def _parse_controls(document: dict, problems: Problems, today: date) -> list[tuple] | None:
    before = len(problems.items)
    planned, seen = [], set()
    for i, item in enumerate(parse_list(document, "controls", "", problems)):
        here = f"controls[{i}]"
        if not parse_object(item, here, CONTROL_KEYS, problems):
            continue
        control_id = parse_text(item, "control_id", here, problems, limit=16, required=True)
        percent = parse_number(item.get("treg"), f"{here}.treg", problems, limits=TREG)
        sample_date = parse_date(item.get("sample_date"), f"{here}.sample_date", problems, required=False)
        if sample_date is not None and sample_date > today:
            problems.add(f"{here}.sample_date", "cannot be in the future")
        if control_id and control_id in seen:
            problems.add(f"{here}.control_id", f"{control_id} appears twice in the document")
        if control_id:
            seen.add(control_id)
        if control_id and percent is not None:
            planned.append((i, control_id, percent, sample_date))
    return planned if len(problems.items) == before else None


def _write_controls(*, planned: list[tuple], user, reason: str, today: date) -> int:
    """Controls already registered are refused here (the document's parse reads no database): the import's
    transaction rolls back and every such control is listed with its path."""
    from reports.importer import ImportRefused  # the importer imports this module: resolved at call time

    ids = [control_id for _, control_id, _, _ in planned]
    existing = set(HealthyControl.objects.filter(control_id__in=ids).values_list("control_id", flat=True))
    if existing:
        raise ImportRefused([f"controls[{i}].control_id: {control_id} already exists in this installation"
                             for i, control_id, _, _ in planned if control_id in existing])
    for _, control_id, percent, sample_date in planned:
        healthy_control_record(control_id=control_id, percent=Decimal(percent), sample_date=sample_date, user=user,
                               reason=reason, today=today)
    return len(planned)


SAFETY_PATIENT_SECTIONS: tuple = (
    PatientSection(keys=("labs",), parse=_parse_labs, write=_write_labs),
    PatientSection(keys=("adverse_events",), parse=_parse_events, write=_write_events),
    PatientSection(keys=("treg_before", "treg_after"), parse=_parse_treg, write=_write_treg),
)
SAFETY_STUDY_SECTIONS: tuple = (StudySection(keys=("controls",), parse=_parse_controls, write=_write_controls),)
