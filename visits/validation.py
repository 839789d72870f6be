"""Checks of a visit's values (pure): errors keyed by field, shared by forms and the importer.

Messages read after the field's name or JSON path ("platelets: must be between 0 and 1500").
"""

from datetime import date
from decimal import Decimal

from .schedule import BASELINE, PROTOCOL_SCHEDULE

PLATELETS_MIN = 0
PLATELETS_MAX = 1500
BLEEDING_GRADES = range(5)


def visit_problems(
    *,
    code: str,
    visit_date: date | None,
    day0: date,
    today: date,
    platelets: Decimal | None,
    bleeding_grade: int | None,
    bleeding_required: bool = True,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if visit_date is None:
        add("visit_date", "is required")
    else:
        if visit_date > today:
            add("visit_date", f"cannot be in the future (today is {today.isoformat()})")
        if code == BASELINE and visit_date > day0:
            add("visit_date", f"the baseline count must be on or before day 0 ({day0.isoformat()})")
        window = PROTOCOL_SCHEDULE.get(BASELINE)
        if code == BASELINE and visit_date < window.earliest(day0):
            add("visit_date", f"the baseline count must be within the baseline window, {window.window_before} days "
                              f"before day 0 to day 0 ({window.earliest(day0).isoformat()} to {day0.isoformat()})")
        if code != BASELINE and visit_date < day0:
            add("visit_date", f"cannot be before day 0, the first sirolimus dose ({day0.isoformat()})")
    if platelets is None:
        add("platelets", "is required")
    elif not PLATELETS_MIN <= platelets <= PLATELETS_MAX:
        add("platelets", f"must be between {PLATELETS_MIN} and {PLATELETS_MAX}")
    if bleeding_grade is None:
        if bleeding_required:
            add("bleeding_grade", "is required (WHO grade 0–4; 0 = no bleeding)")
    elif bleeding_grade not in BLEEDING_GRADES:
        add("bleeding_grade", "must be a WHO grade from 0 to 4")
    return problems


def window_message(deviation_days: int, *, earliest: date, latest: date) -> str:
    """The warning saved with a visit recorded outside its window ('' inside)."""
    if deviation_days == 0:
        return ""
    side = "before" if deviation_days < 0 else "after"
    return (
        f"Outside the visit window ({earliest.isoformat()} to {latest.isoformat()}): "
        f"{abs(deviation_days)} day{'s' if abs(deviation_days) != 1 else ''} {side} it."
    )
