"""Shared pieces of the study interchange reader: problems with JSON paths, typed values, sections.

Apps that store a section of the format (dosing: doses, troughs; safety: adverse events, labs, Treg)
describe it as a PatientSection or StudySection and are listed in reports/sections.py.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.validators import MaxValueValidator, MinValueValidator

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")  # date.fromisoformat alone also takes "2025-W03-1"


@dataclass(frozen=True)
class Limits:
    """What a decimal column accepts: its validators' bounds and its decimal places."""

    low: Decimal | None
    high: Decimal | None
    places: int


def column_limits(model, name: str) -> Limits:
    column = model._meta.get_field(name)
    low = next((v.limit_value for v in column.validators if isinstance(v, MinValueValidator)), None)
    high = next((v.limit_value for v in column.validators if isinstance(v, MaxValueValidator)), None)
    return Limits(low, high, column.decimal_places)


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}")


def parse_date(value, path: str, problems: Problems, *, required: bool = True) -> date | None:
    if value is None:
        if required:
            problems.add(path, "is required")
        return None
    if not isinstance(value, str):
        problems.add(path, "must be a date written YYYY-MM-DD")
        return None
    try:
        if not DATE_PATTERN.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        problems.add(path, f"'{value}' is not a date written YYYY-MM-DD")
        return None


def parse_number(value, path: str, problems: Problems, *, required: bool = True, limits: Limits | None = None,
            check_range: bool = True) -> Decimal | None:
    """A JSON number as a Decimal; with `limits`, also its column's decimal places (and range, if check_range)."""
    if value is None:
        if required:
            problems.add(path, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(path, "must be a number")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():  # Python's json reads NaN and Infinity
        problems.add(path, "must be a number")
        return None
    if limits is not None:
        too_low = limits.low is not None and number < limits.low
        too_high = limits.high is not None and number > limits.high
        if check_range and (too_low or too_high):
            bounded = None not in (limits.low, limits.high)
            problems.add(path, f"must be between {limits.low} and {limits.high}" if bounded
                         else f"must be at least {limits.low}" if too_low else f"must be at most {limits.high}")
        if number.as_tuple().exponent < -limits.places:
            problems.add(path, f"must have at most {limits.places} decimal place{'' if limits.places == 1 else 's'}")
    return number


def parse_bool(value, path: str, problems: Problems, *, required: bool = False) -> bool | None:
    if value is None:
        if required:
            problems.add(path, "is required")
        return None
    if not isinstance(value, bool):
        problems.add(path, "must be true or false")
        return None
    return value




def parse_list(raw: dict, key: str, path: str, problems: Problems) -> list:
    """`raw[key]` when it is a list; otherwise a problem at `path.key` (or `key` at the top) and []."""
    items = raw.get(key)
    if not isinstance(items, list):
        problems.add(f"{path}.{key}" if path else key, "must be a list")
        return []
    return items


def parse_object(item, path: str, allowed: set[str], problems: Problems) -> bool:
    """True when `item` is an object; every key outside `allowed` is a problem (unknown keys are never dropped)."""
    if not isinstance(item, dict):
        problems.add(path, "must be an object")
        return False
    for key in item:
        if key not in allowed:
            problems.add(path, f"unknown key '{key}'")
    return True


def parse_text(item: dict, key: str, path: str, problems: Problems, *, limit: int, required: bool = False) -> str:
    """A string of at most `limit` characters, stripped ("" when absent and not required)."""
    value = item.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", "is required")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(f"{path}.{key}", "must be a non-empty string" if required else "must be a string")
        return ""
    if len(value) > limit:
        problems.add(f"{path}.{key}", f"must be at most {limit} characters")
    return value.strip()


@dataclass(frozen=True)
class SectionContext:
    """What a section's checks may need to know about the patient being read."""

    today: date
    start_date: date | None  # day 0, None when the patient's own start date is unreadable
    birth_date: date | None


@dataclass(frozen=True)
class PatientSection:
    """Keys of a patient object stored by another app.

    parse(raw_patient, path, problems, context) -> planned value, or None when it reported problems;
    write(*, patient, planned, user, reason, today) -> number of records written (inside the import's transaction).
    """

    keys: tuple[str, ...]
    parse: Callable[..., object]
    write: Callable[..., int]


@dataclass(frozen=True)
class StudySection:
    """Top-level keys of the document stored by another app (e.g. healthy controls).

    parse(document, problems, today) -> planned value or None; write(*, planned, user, reason, today) -> count.
    """

    keys: tuple[str, ...]
    parse: Callable[..., object]
    write: Callable[..., int]
