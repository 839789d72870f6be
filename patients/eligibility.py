"""Enrolment checks (pure): the eligibility checklist, dates in order, and the washout warning.

Problems are codes with parameters (a therapy is its Therapy code and the name typed for "other"), worded in
patients/messages.py.
"""

from dataclasses import dataclass, field
from datetime import date

from itp_trial.validation import Problem

from .vocabulary import SecondLine, Therapy, is_second_line

WASHOUT_MONTHS = 1


@dataclass(frozen=True)
class PriorTherapyInput:
    therapy: str = field(metadata={"choices": Therapy})  # a Therapy value (the form's and the API's choices)
    stop_date: date | None = None
    other_name: str = ""


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def washout_warnings(therapies: list[PriorTherapyInput], start_date: date) -> list[Problem]:
    """Second-line therapies not clearly stopped ≥ 1 month before day 0 (SPEC §1: warn, not refuse)."""
    limit = months_before(start_date, WASHOUT_MONTHS)
    warnings = []
    for therapy in therapies:
        if not is_second_line(therapy.therapy):
            continue
        named = {"therapy": therapy.therapy, "other_name": therapy.other_name}
        if therapy.stop_date is None:
            warnings.append(Problem("washout.no_stop_date", named))
        elif therapy.stop_date > limit:
            warnings.append(Problem("washout.recent", {
                **named, "stopped": therapy.stop_date, "days": (start_date - therapy.stop_date).days,
                "limit": limit}))
    return warnings


def second_line_problems(declared: str, therapies: list[PriorTherapyInput]) -> dict[str, list[Problem]]:
    """The washout statement must agree with the therapies listed: none listed for "none", some for the others."""
    listed = [t for t in therapies if is_second_line(t.therapy)]
    if declared == SecondLine.NONE and listed:
        named = [(t.therapy, t.other_name) for t in listed]
        return {"second_line": [Problem("second_line.listed", {"therapies": named})]}
    if declared in (SecondLine.STOPPED, SecondLine.RECENT) and not listed:
        return {"second_line": [Problem("second_line.missing")]}
    return {}


def date_problems(
    *, birth_date: date, diagnosis_date: date, start_date: date, today: date,
    consent_date: date | None = None, checked_on: date | None = None,
) -> dict[str, list[Problem]]:
    problems: dict[str, list[Problem]] = {}

    def add(field: str, code: str, **params) -> None:
        problems.setdefault(field, []).append(Problem(code, params))

    if birth_date > today:
        add("birth_date", "date.future")
    if start_date > today:  # SPEC §2: day 0 is the first dose, given, never planned
        add("start_date", "start_date.future", today=today)
    if diagnosis_date < birth_date:
        add("diagnosis_date", "diagnosis_date.before_birth")
    if diagnosis_date > start_date:
        add("diagnosis_date", "diagnosis_date.after_start")
    if diagnosis_date > today:
        add("diagnosis_date", "date.future")
    if consent_date is not None:
        if consent_date > today:
            add("consent_date", "date.future")
        if consent_date > start_date:
            add("consent_date", "consent_date.after_start")
    if checked_on is not None and checked_on > today:
        add("checked_on", "date.future")
    return problems
