"""The interchange sections the dosing app stores (see casebook/interchange.py); each exports what it reads.

`doses`: [{"date", "mg_per_day"} + optional "phase", "reason", "out_of_range_reason", "prescribed_by"];
`mg_per_day: 0` is a stop. Without a phase [decision]: the first dose is "start", 0 is "stop", the dose after a
stop is "start" (a restart) and any other change is "adjustment".
`troughs`: [{"date", "ng_ml"} + optional "time" (HH:MM), "hours_since_dose", "lab"].
`con_meds` (an addition to SPEC §6): [{"name", "start_date", "indication"} + optional "stop_date", "dose",
"glucocorticoid_taper"]; each step of a glucocorticoid taper is its own entry.

Every check the services make is made here first, with its JSON path, so a document is refused whole
(the importer's transaction) rather than failing half-written.
"""

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from casebook.interchange import (
    BulkWrite,
    PatientSection,
    Problems,
    SectionContext,
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

from .models import ConMed, DoseChange, Phase, Trough
from .services import (
    ConMedValues,
    DoseValues,
    TroughValues,
    con_med_check,
    con_med_fill,
    con_med_record,
    dose_change_record,
    dose_check,
    dose_fill,
    trough_check,
    trough_fill,
    trough_record,
)
from .tdm import age_group, dose_range_warning, phase_problem

DOSE_KEYS = {"date", "mg_per_day", "phase", "reason", "out_of_range_reason", "prescribed_by"}
TROUGH_KEYS = {"date", "ng_ml", "time", "hours_since_dose", "lab"}
MG_PER_DAY = column_limits(DoseChange, "mg_per_day")
NG_ML = column_limits(Trough, "ng_ml")
HOURS = column_limits(Trough, "hours_since_dose")
TIME_PATTERN = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
CON_MED_KEYS = {"name", "start_date", "stop_date", "indication", "dose", "glucocorticoid_taper"}
TEXT_LIMITS = {"reason": 250, "out_of_range_reason": 250, "prescribed_by": 120, "lab": 120, "name": 120,
               "indication": 160, "dose": 80}
IMPORTED_PRESCRIBER = "not recorded (imported)"


@dataclass(frozen=True)
class PlannedDoses:
    doses: list[DoseValues]


def _phase(item: dict, path: str, problems: Problems, mg: Decimal | None, previous: Decimal | None,
           first: bool) -> str | None:
    phase = item.get("phase")
    if phase is None:
        if mg is None:
            return None
        if mg == 0:
            return Phase.STOP
        return Phase.START if first or previous == 0 else Phase.ADJUSTMENT
    if phase not in Phase.values:
        problems.add(f"{path}.phase", f"must be one of {', '.join(Phase.values)}")
        return None
    return phase


def parse_doses(raw: dict, path: str, problems: Problems, context: SectionContext) -> PlannedDoses | None:
    before = len(problems.items)
    parsed: list[tuple[str, DoseValues]] = []
    previous: Decimal | None = None
    seen: dict[date, str] = {}
    for j, at, item in parse_items(raw, "doses", path, DOSE_KEYS, problems):
        start = parse_date(item.get("date"), f"{at}.date", problems)
        mg = parse_number(item.get("mg_per_day"), f"{at}.mg_per_day", problems, limits=MG_PER_DAY)
        phase = _phase(item, at, problems, mg, previous, first=j == 0)
        texts = {key: parse_text(item, key, at, problems, limit=TEXT_LIMITS[key])
                 for key in ("reason", "out_of_range_reason", "prescribed_by")}
        if start is not None:
            if start > context.today:
                problems.add(f"{at}.date", "cannot be in the future")
            if context.start_date is not None and j == 0 and start != context.start_date:
                problems.add(f"{at}.date", f"the first dose must be on the start date {context.start_date} (day 0)")
            if context.start_date is not None and j > 0 and start <= context.start_date:
                problems.add(f"{at}.date", f"must be after the start date {context.start_date}")
            if start in seen:
                problems.add(f"{at}.date", f"{seen[start]} already starts on {start}: one dose change per day")
            seen.setdefault(start, f"doses[{j}]")
            if parsed and start < parsed[-1][1].start_date:
                problems.add(f"{at}.date", "doses must be listed in date order")
        if mg is not None and phase is not None:
            problem = phase_problem(mg_per_day=mg, phase=phase)
            if problem:
                problems.add(f"{at}.phase", problem)
            elif start is not None and context.birth_date is not None:
                group = age_group(birth_date=context.birth_date, on=start)
                warning = dose_range_warning(mg_per_day=mg, phase=phase, group=group)
                if warning and not texts["out_of_range_reason"]:
                    problems.add(f"{at}.mg_per_day", f"{warning} Give out_of_range_reason to import it")
        previous = mg
        if start is not None and mg is not None and phase is not None:
            parsed.append((at, DoseValues(
                start_date=start, mg_per_day=mg, phase=phase, change_reason=texts["reason"],
                out_of_range_reason=texts["out_of_range_reason"],
                prescribed_by=texts["prescribed_by"] or IMPORTED_PRESCRIBER,
            )))
    if len(problems.items) != before:
        return None
    return PlannedDoses([values for _, values in parsed])


def write_doses(*, patient, planned: PlannedDoses, user, reason: str, today: date) -> int:
    for values in planned.doses:
        dose_change_record(patient=patient, values=values, user=user, reason=reason, today=today)
    return len(planned.doses)


@dataclass(frozen=True)
class PlannedTroughs:
    troughs: list[TroughValues]


def _time(value, path: str, problems: Problems) -> time | None:
    if value is None:
        return None
    if not isinstance(value, str) or not TIME_PATTERN.fullmatch(value):
        problems.add(path, "must be a time written HH:MM")
        return None
    return time.fromisoformat(value)


def parse_troughs(raw: dict, path: str, problems: Problems, context: SectionContext) -> PlannedTroughs | None:
    before = len(problems.items)
    planned = []
    for _, at, item in parse_items(raw, "troughs", path, TROUGH_KEYS, problems):
        sampled = parse_date(item.get("date"), f"{at}.date", problems)
        ng_ml = parse_number(item.get("ng_ml"), f"{at}.ng_ml", problems, limits=NG_ML)
        hours = parse_number(item.get("hours_since_dose"), f"{at}.hours_since_dose", problems, required=False,
                             limits=HOURS)
        sample_time = _time(item.get("time"), f"{at}.time", problems)
        lab = parse_text(item, "lab", at, problems, limit=TEXT_LIMITS["lab"])
        if sampled is not None:
            if sampled > context.today:
                problems.add(f"{at}.date", "cannot be in the future")
            if context.start_date is not None and sampled < context.start_date:
                problems.add(f"{at}.date", f"must be on or after the start date {context.start_date} (day 0)")
        if sampled is not None and ng_ml is not None:
            planned.append(TroughValues(sample_date=sampled, ng_ml=ng_ml, sample_time=sample_time,
                                        hours_since_dose=hours, lab=lab))
    if len(problems.items) != before:
        return None
    return PlannedTroughs(planned)


def write_troughs(*, patient, planned: PlannedTroughs, user, reason: str, today: date) -> int:
    for values in planned.troughs:
        trough_record(patient=patient, values=values, user=user, reason=reason, today=today)
    return len(planned.troughs)


@dataclass(frozen=True)
class PlannedConMeds:
    con_meds: list[ConMedValues]


def parse_con_meds(raw: dict, path: str, problems: Problems, context: SectionContext) -> PlannedConMeds | None:
    before = len(problems.items)
    planned = []
    for _, at, item in parse_items(raw, "con_meds", path, CON_MED_KEYS, problems):
        texts = {key: parse_text(item, key, at, problems, limit=TEXT_LIMITS[key])
                 for key in ("name", "indication", "dose")}
        for key in ("name", "indication"):
            if isinstance(item.get(key, ""), str) and not texts[key]:  # a non-string was reported by parse_text
                problems.add(f"{at}.{key}", "is required")
        start = parse_date(item.get("start_date"), f"{at}.start_date", problems)
        stop = parse_date(item.get("stop_date"), f"{at}.stop_date", problems, required=False)
        taper = parse_bool(item.get("glucocorticoid_taper"), f"{at}.glucocorticoid_taper", problems)
        if start is not None and start > context.today:
            problems.add(f"{at}.start_date", "cannot be in the future")
        if start is not None and stop is not None and stop < start:
            problems.add(f"{at}.stop_date", "must be on or after the start date")
        if start is not None and texts["name"] and texts["indication"]:
            planned.append(ConMedValues(name=texts["name"], start_date=start, stop_date=stop,
                                        indication=texts["indication"], dose=texts["dose"],
                                        glucocorticoid_taper=bool(taper)))
    if len(problems.items) != before:
        return None
    return PlannedConMeds(planned)


def write_con_meds(*, patient, planned: PlannedConMeds, user, reason: str, today: date) -> int:
    for values in planned.con_meds:
        con_med_record(patient=patient, values=values, user=user, reason=reason, today=today)
    return len(planned.con_meds)


# The import's batch (casebook.interchange.BulkWrite): each record checked by the service's own checks and filled
# as the service fills it, for a patient not written yet (no other rows than the ones added before it here).


def add_doses(*, bulk: BulkWrite, patient, planned: PlannedDoses, user, today: date) -> int:
    dates: list[date] = []
    for values in planned.doses:
        out_of_range_reason = dose_check(patient=patient, values=values, other_dates=dates, today=today)
        bulk.add(dose_fill(DoseChange(patient=patient), values, out_of_range_reason, user))
        dates.append(values.start_date)
    return len(planned.doses)


def add_troughs(*, bulk: BulkWrite, patient, planned: PlannedTroughs, user, today: date) -> int:
    for values in planned.troughs:
        trough_check(patient=patient, values=values, today=today)
        bulk.add(trough_fill(Trough(patient=patient), values))
    return len(planned.troughs)


def add_con_meds(*, bulk: BulkWrite, patient, planned: PlannedConMeds, user, today: date) -> int:
    for values in planned.con_meds:
        con_med_check(patient=patient, values=values, today=today)
        bulk.add(con_med_fill(ConMed(patient=patient), values))
    return len(planned.con_meds)


def export_doses(patient) -> dict:
    doses = [entry(("date", day_text(d.start_date)), ("mg_per_day", number(d.mg_per_day)), ("phase", d.phase),
                   ("reason", d.change_reason), ("out_of_range_reason", d.out_of_range_reason),
                   ("prescribed_by", "" if d.prescribed_by == IMPORTED_PRESCRIBER else d.prescribed_by),
                   keep=("mg_per_day",))
             for d in DoseChange.objects.filter(patient=patient).order_by("start_date", "id")]
    return {"doses": doses} if doses else {}


def export_troughs(patient) -> dict:
    troughs = [entry(("date", day_text(t.sample_date)), ("time", t.sample_time and t.sample_time.strftime("%H:%M")),
                     ("hours_since_dose", number(t.hours_since_dose)), ("ng_ml", number(t.ng_ml)), ("lab", t.lab))
               for t in Trough.objects.filter(patient=patient).order_by("sample_date", "sample_time", "id")]
    return {"troughs": troughs} if troughs else {}


def export_con_meds(patient) -> dict:
    con_meds = [entry(("name", c.name), ("dose", c.dose), ("start_date", day_text(c.start_date)),
                      ("stop_date", day_text(c.stop_date)), ("indication", c.indication),
                      ("glucocorticoid_taper", c.glucocorticoid_taper))
                for c in ConMed.objects.filter(patient=patient).order_by("start_date", "id")]
    return {"con_meds": con_meds} if con_meds else {}


DOSE_SECTION = PatientSection(keys=("doses",), parse=parse_doses, write=write_doses, export=export_doses,
                              add=add_doses)
TROUGH_SECTION = PatientSection(keys=("troughs",), parse=parse_troughs, write=write_troughs, export=export_troughs,
                                add=add_troughs)
CON_MED_SECTION = PatientSection(keys=("con_meds",), parse=parse_con_meds, write=write_con_meds,
                                 export=export_con_meds, add=add_con_meds)
