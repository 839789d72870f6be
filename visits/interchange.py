"""The interchange section of rescue therapy (an addition to SPEC §6; see casebook/interchange.py).

`rescue_therapies`: [{"date", "kind"} + optional "details"], kind one of ivig, transfusion, glucocorticoid,
new_itp_drug. Checked here first, with its JSON path: the import is all-or-nothing.
"""

from datetime import date

from casebook.interchange import (
    PatientSection,
    Problems,
    SectionContext,
    day_text,
    entry,
    parse_date,
    parse_list,
    parse_object,
    parse_text,
)

from .models import RescueTherapy
from .services import RescueValues, rescue_record

RESCUE_KEYS = {"date", "kind", "details"}


def parse_rescues(raw: dict, path: str, problems: Problems, context: SectionContext) -> list | None:
    before = len(problems.items)
    planned = []
    for j, item in enumerate(parse_list(raw, "rescue_therapies", path, problems)):
        at = f"{path}.rescue_therapies[{j}]"
        if not parse_object(item, at, RESCUE_KEYS, problems):
            continue
        given_on = parse_date(item.get("date"), f"{at}.date", problems)
        kind = item.get("kind")
        if kind not in RescueTherapy.Kind.values:
            problems.add(f"{at}.kind", f"must be one of {', '.join(RescueTherapy.Kind.values)}")
        details = parse_text(item, "details", at, problems, limit=200)
        if given_on is not None and given_on > context.today:
            problems.add(f"{at}.date", "cannot be in the future")
        if given_on is not None and kind in RescueTherapy.Kind.values:
            planned.append(RescueValues(given_on=given_on, kind=kind, details=details))
    return planned if len(problems.items) == before else None


def write_rescues(*, patient, planned: list[RescueValues], user, reason: str, today: date) -> int:
    for values in planned:
        rescue_record(patient=patient, given_on=values.given_on, kind=values.kind, details=values.details,
                      user=user, reason=reason, today=today)
    return len(planned)


def export_rescues(patient) -> dict:
    rescues = [entry(("date", day_text(r.given_on)), ("kind", r.kind), ("details", r.details))
               for r in RescueTherapy.objects.filter(patient=patient).order_by("given_on", "id")]
    return {"rescue_therapies": rescues} if rescues else {}


RESCUE_SECTION = PatientSection(keys=("rescue_therapies",), parse=parse_rescues, write=write_rescues,
                                export=export_rescues)
