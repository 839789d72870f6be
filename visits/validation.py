"""Checks of a visit's values (pure): problem codes keyed by field, shared by forms and the importer.

Worded in visits/messages.py: read after the field's name or JSON path ("platelets: must be between 0 and 1500"),
or as the sentence next to the form's field.
"""

from datetime import date
from decimal import Decimal

from itp_trial.validation import Problem

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
) -> dict[str, list[Problem]]:
    problems: dict[str, list[Problem]] = {}

    def add(field: str, code: str, **params) -> None:
        problems.setdefault(field, []).append(Problem(code, params))

    if visit_date is None:
        add("visit_date", "required")
    else:
        if visit_date > today:
            add("visit_date", "visit_date.future", today=today)
        if code == BASELINE and visit_date > day0:
            add("visit_date", "visit_date.baseline_after_day0", day0=day0)
        window = PROTOCOL_SCHEDULE.get(BASELINE)
        if code == BASELINE and visit_date < window.earliest(day0):
            add("visit_date", "visit_date.baseline_window", days=window.window_before,
                earliest=window.earliest(day0), day0=day0)
        if code != BASELINE and visit_date < day0:
            add("visit_date", "visit_date.before_day0", day0=day0)
    if platelets is None:
        add("platelets", "required")
    elif not PLATELETS_MIN <= platelets <= PLATELETS_MAX:
        add("platelets", "platelets.range", min=PLATELETS_MIN, max=PLATELETS_MAX)
    if bleeding_grade is None:
        if bleeding_required:
            add("bleeding_grade", "bleeding_grade.required")
    elif bleeding_grade not in BLEEDING_GRADES:
        add("bleeding_grade", "bleeding_grade.range")
    return problems


def window_problem(deviation_days: int, *, earliest: date, latest: date) -> Problem | None:
    """The warning shown with a visit recorded outside its window (None inside)."""
    if deviation_days == 0:
        return None
    code = "window.before" if deviation_days < 0 else "window.after"
    return Problem(code, {"days": abs(deviation_days), "earliest": earliest, "latest": latest})
