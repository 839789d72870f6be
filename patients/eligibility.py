"""Enrolment checks (pure): the eligibility checklist, dates in order, and the washout warning."""

from dataclasses import dataclass, field
from datetime import date

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


def washout_warnings(therapies: list[PriorTherapyInput], start_date: date) -> list[str]:
    """Second-line therapies not clearly stopped ≥ 1 month before day 0 (SPEC §1: warn, not refuse)."""
    limit = months_before(start_date, WASHOUT_MONTHS)
    warnings = []
    for therapy in therapies:
        if not is_second_line(therapy.therapy):
            continue
        name = therapy.other_name or Therapy(therapy.therapy).label
        if therapy.stop_date is None:
            warnings.append(f"{name}: no stop date recorded, so the 1-month washout cannot be checked.")
        elif therapy.stop_date > limit:
            days = (start_date - therapy.stop_date).days
            warnings.append(
                f"{name} stopped on {therapy.stop_date.isoformat()}, {days} days before sirolimus start "
                f"(less than 1 month; the protocol expects it stopped by {limit.isoformat()})."
            )
    return warnings


def second_line_problems(declared: str, therapies: list[PriorTherapyInput]) -> dict[str, list[str]]:
    """The washout statement must agree with the therapies listed: none listed for "none", some for the others."""
    listed = [t for t in therapies if is_second_line(t.therapy)]
    if declared == SecondLine.NONE and listed:
        names = ", ".join(t.other_name or Therapy(t.therapy).label for t in listed)
        return {"second_line": [f"{names} is listed as a prior second-line therapy: say when it was stopped"]}
    if declared in (SecondLine.STOPPED, SecondLine.RECENT) and not listed:
        return {"second_line": ["list the second-line therapy below, with its stop date"]}
    return {}


def date_problems(
    *, birth_date: date, diagnosis_date: date, start_date: date, today: date,
    consent_date: date | None = None, checked_on: date | None = None,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if birth_date > today:
        add("birth_date", "cannot be in the future")
    if start_date > today:  # SPEC §2: day 0 is the first dose, given, never planned
        add("start_date", f"cannot be in the future: day 0 is the first sirolimus dose, already given (today is "
                          f"{today.isoformat()})")
    if diagnosis_date < birth_date:
        add("diagnosis_date", "cannot be before the birth date")
    if diagnosis_date > start_date:
        add("diagnosis_date", "cannot be after the sirolimus start date")
    if diagnosis_date > today:
        add("diagnosis_date", "cannot be in the future")
    if consent_date is not None:
        if consent_date > today:
            add("consent_date", "cannot be in the future")
        if consent_date > start_date:
            add("consent_date", "written consent must be given on or before sirolimus start")
    if checked_on is not None and checked_on > today:
        add("checked_on", "cannot be in the future")
    return problems
