"""Derived demographic values (pure)."""

from datetime import date

CHILD_BELOW_AGE = 18  # SPEC §1 [decision]: < 18 years is a child for dosing


def age_in_years(birth_date: date, on: date) -> int:
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def months_between(start: date, end: date) -> float:
    """Months from `start` to `end`, to one decimal (mean month of 30.4375 days)."""
    return round((end - start).days / 30.4375, 1)


def is_child(birth_date: date, on: date) -> bool:
    return age_in_years(birth_date, on) < CHILD_BELOW_AGE
