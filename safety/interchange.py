"""The interchange sections the safety app stores (see casebook/interchange.py); each exports what it reads.

Patient keys:
- `adverse_events`: [{"term", "grade", "onset"} + optional "resolved" (bool), "end_date", "serious" (bool),
  "relation", "action", "outcome", "death_date"]. `term` is a CTCAE v5.0 term (case-insensitive; others are
  kept as uncoded). Without "outcome" [decision]: resolved → recovered, otherwise ongoing (fatal for grade 5);
  without "relation": not assessed.
- `labs`: [{"date", "values": [{"analyte", "value", "unit"} + optional "uln", "lln"]} + optional "laboratory"];
  analytes are safety.ctcae codes. Graded values propose adverse events exactly as entered on screen.
- `ae_proposals` (an addition to SPEC §6): the physicians' decisions on the adverse events the labs proposed,
  [{"date", "analyte", "status", "decided_on"} + for a dismissal "dismiss_reason", for a confirmation the event's
  optional "resolved", "end_date", "serious", "relation", "action", "outcome", "death_date"]. A confirmed
  proposal's event is listed here, not under adverse_events; an open proposal is not listed (the lab raises it).
- `treg_before`, `treg_after`: Treg % of CD4+ at baseline and month 3; `treg_before_date`, `treg_after_date`
  (additions): their sample dates when recorded.
Top-level key `controls`: [{"control_id", "treg"} + optional "sample_date"].

Every check the services make is made here first, with its JSON path: the import is all-or-nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from casebook.interchange import (
    BulkWrite,
    ImportRefused,
    PatientSection,
    Problems,
    SectionContext,
    StudySection,
    column_limits,
    day_text,
    entry,
    number,
    parse_bool,
    parse_date,
    parse_items,
    parse_number,
    parse_text,
)

from .ctcae import ANALYTES_BY_CODE
from .models import (
    Action,
    AdverseEvent,
    AeProposal,
    HealthyControl,
    LabSample,
    LabValue,
    Outcome,
    Relation,
    TregMeasurement,
)
from .protocol import SAFETY_PROTOCOL
from .services import (
    AeInput,
    LabBaseline,
    LabInput,
    adverse_event_record,
    adverse_event_update,
    ae_fill,
    ae_problems,
    ae_proposal_confirm,
    ae_proposal_dismiss,
    healthy_control_record,
    lab_problems,
    lab_sample_record,
    lab_value_graded,
    starts_withdrawal,
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
    for _, here, item in parse_items(raw, "adverse_events", path, AE_KEYS, problems):
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


def _add_events(*, bulk: BulkWrite, patient, planned: list[AeInput], user, today: date) -> int | None:
    """The events in the import's batch, checked and coded as adverse_event_record does; None (written by
    _write_events, one by one) when one of them starts the patient's withdrawal, which marks the patient and
    tells the physicians."""
    events = []
    for data in planned:
        problems = ae_problems(start_date=patient.start_date, data=data, today=today)
        if problems:
            raise ValidationError(problems)
        events.append(ae_fill(AdverseEvent(patient=patient), data))
    if any(starts_withdrawal(event) for event in events):
        return None
    for event in events:
        bulk.add(event)
    return len(events)


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
    for _, here, item in parse_items(raw, "labs", path, LAB_KEYS, problems):
        sample_date = parse_date(item.get("date"), f"{here}.date", problems)
        laboratory = parse_text(item, "laboratory", here, problems, limit=80)
        values, index = [], {}
        for j, vpath, value in parse_items(item, "values", here, VALUE_KEYS, problems):
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


def _add_labs(*, bulk: BulkWrite, patient, planned: list[PlannedLab], user, today: date) -> int | None:
    """The samples and values in the import's batch, checked and graded as lab_sample_record does (in date order:
    a value's baseline is the latest one sampled on or before day 0, added before it here); None (written by
    _write_labs, one sample at a time) when a value proposes an adverse event, which tells the physicians."""
    baselines: dict[str, LabBaseline] = {}
    samples = []
    for lab in planned:
        problems = lab_problems(start_date=patient.start_date, sample_date=lab.sample_date, values=lab.values,
                                today=today)
        if problems:
            raise ValidationError(problems)
        is_baseline = lab.sample_date <= patient.start_date
        sample = LabSample(patient=patient, sample_date=lab.sample_date, laboratory=lab.laboratory)
        values = []
        for item in lab.values:
            spec = ANALYTES_BY_CODE[item.analyte]
            fields, graded, proposes = lab_value_graded(
                item, baseline=None if is_baseline else baselines.get(item.analyte))
            if graded and proposes and (not is_baseline or SAFETY_PROTOCOL.baseline_proposes_ae):
                return None
            values.append(LabValue(sample=sample, patient=patient, sample_date=lab.sample_date,
                                   panel=spec.panel.value, analyte=spec.code, **fields))
        if is_baseline:
            baselines.update({v.analyte: LabBaseline(v.value, v.unit, v.lln) for v in values})
        samples.append((sample, values))
    for sample, values in samples:
        bulk.add(sample)
        for value in values:
            bulk.add(value)
    return sum(1 + len(values) for _, values in samples)


# ---------------------------------------------------------------- Treg


TREG_TIMEPOINTS = (("treg_before", TregMeasurement.Timepoint.BASELINE),
                   ("treg_after", TregMeasurement.Timepoint.MONTH3))


def _parse_treg(raw: dict, path: str, problems: Problems, context: SectionContext) -> dict | None:
    before = len(problems.items)
    planned = {}
    for key, timepoint in TREG_TIMEPOINTS:
        on = parse_date(raw.get(f"{key}_date"), f"{path}.{key}_date", problems, required=False)
        if on is not None and on > context.today:
            problems.add(f"{path}.{key}_date", "cannot be in the future")
        if key in raw:
            value = parse_number(raw[key], f"{path}.{key}", problems, limits=TREG)
            if value is not None:
                planned[timepoint] = (value, on)
        elif f"{key}_date" in raw:
            problems.add(f"{path}.{key}_date", f"is given without {key}")
    return planned if len(problems.items) == before else None


def _write_treg(*, patient, planned: dict, user, reason: str, today: date) -> int:
    for timepoint, (percent, sample_date) in planned.items():
        treg_record(patient=patient, timepoint=timepoint, percent=percent, sample_date=sample_date, user=user,
                    reason=reason, today=today)
    return len(planned)


def _add_treg(*, bulk: BulkWrite, patient, planned: dict, user, today: date) -> int:
    """Treg values in the import's batch: _parse_treg checked their dates as treg_record does, and a patient not
    written yet has no value recorded (one per timepoint: `planned` is keyed by it)."""
    for timepoint, (percent, sample_date) in planned.items():
        bulk.add(TregMeasurement(patient=patient, timepoint=timepoint, percent=percent, sample_date=sample_date))
    return len(planned)


def _export_treg(patient) -> dict:
    values = {t.timepoint: t for t in TregMeasurement.objects.filter(patient=patient)}
    found = {}
    for key, timepoint in TREG_TIMEPOINTS:
        if timepoint in values:
            found[key] = number(values[timepoint].percent)
            if values[timepoint].sample_date is not None:
                found[f"{key}_date"] = day_text(values[timepoint].sample_date)
    return found


# ---------------------------------------------------------------- healthy controls


def _parse_controls(document: dict, problems: Problems, today: date) -> list[tuple] | None:
    before = len(problems.items)
    planned, seen = [], set()
    for i, here, item in parse_items(document, "controls", "", CONTROL_KEYS, problems):
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


def _refuse_registered(planned: list[tuple]) -> None:
    ids = [control_id for _, control_id, _, _ in planned]
    existing = set(HealthyControl.objects.filter(control_id__in=ids).values_list("control_id", flat=True))
    if existing:
        raise ImportRefused([f"controls[{i}].control_id: {control_id} already exists in this installation"
                             for i, control_id, _, _ in planned if control_id in existing])


def _write_controls(*, planned: list[tuple], user, reason: str, today: date) -> int:
    """Controls already registered are refused here (the document's parse reads no database): the import's
    transaction rolls back and every such control is listed with its path."""
    _refuse_registered(planned)
    for _, control_id, percent, sample_date in planned:
        healthy_control_record(control_id=control_id, percent=Decimal(percent), sample_date=sample_date, user=user,
                               reason=reason, today=today)
    return len(planned)


def _add_controls(*, bulk: BulkWrite, planned: list[tuple], user, today: date) -> int:
    """The controls in the import's batch: refused as _write_controls refuses them when already registered (one
    query for all); _parse_controls checked the rest as healthy_control_record does."""
    _refuse_registered(planned)
    for _, control_id, percent, sample_date in planned:
        bulk.add(HealthyControl(control_id=control_id, percent=Decimal(percent), sample_date=sample_date))
    return len(planned)


def _export_controls() -> dict:
    controls = [entry(("control_id", c.control_id), ("treg", number(c.percent)),
                      ("sample_date", day_text(c.sample_date)))
                for c in HealthyControl.objects.order_by("control_id")]
    return {"controls": controls} if controls else {}


# ---------------------------------------------------------------- writing back


def _export_labs(patient) -> dict:
    values: dict[int, list] = {}
    for v in LabValue.objects.filter(patient=patient).order_by("id"):
        values.setdefault(v.sample_id, []).append(entry(
            ("analyte", v.analyte), ("value", number(v.value)), ("unit", v.unit), ("uln", number(v.uln)),
            ("lln", number(v.lln)), keep=("value", "unit")))
    labs = [entry(("date", day_text(s.sample_date)), ("laboratory", s.laboratory), ("values", values.get(s.pk, [])),
                  keep=("values",))
            for s in LabSample.objects.filter(patient=patient).order_by("sample_date", "id")]
    return {"labs": labs} if labs else {}


def _event_details(event: AdverseEvent) -> tuple:
    """The optional keys of an event, each left out when it is what the importer assumes without it."""
    resolved = event.end_date is not None
    assumed = Outcome.FATAL if event.grade == 5 else Outcome.RECOVERED if resolved else Outcome.ONGOING
    return (("resolved", resolved), ("end_date", day_text(event.end_date)), ("serious", event.serious),
            ("relation", "" if event.relation == Relation.NOT_ASSESSED else event.relation),
            ("action", "" if event.action == Action.NONE else event.action),
            ("outcome", "" if event.outcome == assumed else event.outcome), ("death_date", day_text(event.death_date)))


def _export_events(patient) -> dict:
    typed = AdverseEvent.objects.filter(patient=patient, lab_value__isnull=True).order_by("onset_date", "id")
    events = [entry(("term", e.term), ("grade", e.grade), ("onset", day_text(e.onset_date)), *_event_details(e))
              for e in typed]
    return {"adverse_events": events} if events else {}


# ---------------------------------------------------------------- the physicians' decisions on proposals

PROPOSAL_KEYS = {"date", "analyte", "status", "decided_on", "dismiss_reason", "resolved", "end_date", "serious",
                 "relation", "action", "outcome", "death_date"}
DECIDED = (AeProposal.Status.CONFIRMED, AeProposal.Status.DISMISSED)


@dataclass(frozen=True)
class PlannedDecision:
    path: str
    sample_date: date
    analyte: str
    status: str
    decided_on: date
    dismiss_reason: str
    event: dict  # the confirmed event's optional values


def _parse_proposals(raw: dict, path: str, problems: Problems, context: SectionContext) -> list | None:
    before = len(problems.items)
    planned = []
    for _, here, item in parse_items(raw, "ae_proposals", path, PROPOSAL_KEYS, problems):
        sample_date = parse_date(item.get("date"), f"{here}.date", problems)
        decided_on = parse_date(item.get("decided_on"), f"{here}.decided_on", problems)
        analyte = item.get("analyte")
        if analyte not in ANALYTES_BY_CODE:
            problems.add(f"{here}.analyte", f"must be one of {', '.join(ANALYTES_BY_CODE)}")
        status = item.get("status")
        if status not in DECIDED:
            problems.add(f"{here}.status", f"must be one of {', '.join(DECIDED)}")
        reason = parse_text(item, "dismiss_reason", here, problems, limit=250,
                            required=status == AeProposal.Status.DISMISSED)
        event = {"end_date": parse_date(item.get("end_date"), f"{here}.end_date", problems, required=False),
                 "death_date": parse_date(item.get("death_date"), f"{here}.death_date", problems, required=False),
                 "serious": bool(parse_bool(item.get("serious"), f"{here}.serious", problems)),
                 "relation": _choice(item, "relation", here, Relation, Relation.NOT_ASSESSED, problems),
                 "action": _choice(item, "action", here, Action, Action.NONE, problems),
                 "resolved": parse_bool(item.get("resolved"), f"{here}.resolved", problems),
                 "outcome": item.get("outcome")}
        if event["outcome"] is not None:
            _choice(item, "outcome", here, Outcome, Outcome.ONGOING, problems)
        if status == AeProposal.Status.DISMISSED and any(key in item for key in PROPOSAL_KEYS - {
                "date", "analyte", "status", "decided_on", "dismiss_reason"}):
            problems.add(here, "a dismissed proposal has no adverse event values")
        if decided_on is not None and decided_on > context.today:
            problems.add(f"{here}.decided_on", "cannot be in the future")
        if decided_on is not None and sample_date is not None and decided_on < sample_date:
            problems.add(f"{here}.decided_on", "cannot be before the sample date")
        if None not in (sample_date, decided_on) and analyte in ANALYTES_BY_CODE and status in DECIDED:
            planned.append(PlannedDecision(here, sample_date, analyte, status, decided_on, reason, event))
    return planned if len(problems.items) == before else None


def _write_proposals(*, patient, planned: list[PlannedDecision], user, reason: str, today: date) -> int:
    """Each decision on the proposal its lab raised on import: decided on its day, then the event's later values
    (an end date after the decision) as a correction with the import's reason."""
    refused = []
    for decision in planned:
        proposal = AeProposal.objects.filter(patient=patient, lab_value__sample_date=decision.sample_date,
                                             lab_value__analyte=decision.analyte,
                                             status=AeProposal.Status.PROPOSED).first()
        if proposal is None:
            refused.append(f"{decision.path}: the labs propose no adverse event for {decision.analyte} on "
                           f"{decision.sample_date}")
            continue
        if decision.status == AeProposal.Status.DISMISSED:
            ae_proposal_dismiss(proposal=proposal, reason=decision.dismiss_reason, user=user,
                                today=decision.decided_on)
            continue
        on_decision = AeInput(term=proposal.term, grade=proposal.grade, onset_date=decision.sample_date,
                              relation=decision.event["relation"])
        saved = ae_proposal_confirm(proposal=proposal, data=on_decision, user=user, today=decision.decided_on)
        final = _final_event(proposal, decision)
        if final != on_decision:
            adverse_event_update(event=saved.event, data=final, user=user, reason=reason or "imported",
                                 version=saved.event.version, today=today)
    if refused:
        raise ImportRefused(refused)
    return len(planned)


def _final_event(proposal: AeProposal, decision: PlannedDecision) -> AeInput:
    values = decision.event
    resolved = values["resolved"] or values["end_date"] is not None
    assumed = Outcome.FATAL if proposal.grade == 5 else Outcome.RECOVERED if resolved else Outcome.ONGOING
    return AeInput(term=proposal.term, grade=proposal.grade, onset_date=decision.sample_date,
                   relation=values["relation"], end_date=values["end_date"], serious=values["serious"],
                   action=values["action"], outcome=values["outcome"] or assumed, death_date=values["death_date"])


def _export_proposals(patient) -> dict:
    decided = AeProposal.objects.filter(patient=patient, status__in=DECIDED).select_related(
        "lab_value", "adverse_event").order_by("lab_value__sample_date", "lab_value__id")
    proposals = []
    for p in decided:
        event = _event_details(p.adverse_event) if p.adverse_event is not None else ()
        proposals.append(entry(("date", day_text(p.lab_value.sample_date)), ("analyte", p.lab_value.analyte),
                               ("status", p.status), ("decided_on", day_text(p.decided_on)),
                               ("dismiss_reason", p.dismiss_reason), *event))
    return {"ae_proposals": proposals} if proposals else {}


LAB_SECTION = PatientSection(keys=("labs",), parse=_parse_labs, write=_write_labs, export=_export_labs,
                             add=_add_labs)
EVENT_SECTION = PatientSection(keys=("adverse_events",), parse=_parse_events, write=_write_events,
                               export=_export_events, add=_add_events)
PROPOSAL_SECTION = PatientSection(keys=("ae_proposals",), parse=_parse_proposals, write=_write_proposals,
                                  export=_export_proposals)
TREG_SECTION = PatientSection(keys=("treg_before", "treg_before_date", "treg_after", "treg_after_date"),
                              parse=_parse_treg, write=_write_treg, export=_export_treg, add=_add_treg)
CONTROL_SECTION = StudySection(keys=("controls",), parse=_parse_controls, write=_write_controls,
                               export=_export_controls, add=_add_controls)
