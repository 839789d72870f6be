"""What a value must be to be believed, whatever the form or the imported document it comes in.

Pure rules on plain values, returning problem codes with parameters (worded by itp_trial.validation), used by
every study form (itp_trial.forms.PlausibleForm) and by import_study
(a whole interchange document, with JSON paths). They come before the domain rules: a date in year 1 or a lab
value of 1e300 is not a clinical question but a typing or conversion error, and no service should see it.

- Dates: not before 1900-01-01 and not after 2100-12-31; a past event (birth, consent, diagnosis, visit, sample,
  ...) not after today. In an imported document every date is a past event: the document is a study's history.
- Numbers: finite, and within +/- 1e9 (no clinical quantity of this study is larger).
- Lab reference limits: not negative, and the lower below the upper.
- Text: no NUL byte or other control character (PostgreSQL cannot store a NUL; none is typed by a person).
"""

import math
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from .validation import Problem

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
MAGNITUDE = Decimal("1e9")
# Form fields that record something that has happened (never a date to come).
PAST_EVENTS = frozenset({
    "birth_date", "consent_date", "diagnosis_date", "visit_date", "sample_date", "checked_on", "given_on",
    "onset_date", "death_date", "end_date", "off_study_date",
})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def date_problems(value: date, *, past_event: bool, today: date) -> list[Problem]:
    if value < EARLIEST:
        return [Problem("date.too_early", {"earliest": EARLIEST})]
    if value > LATEST:
        return [Problem("date.too_late", {"latest": LATEST})]
    if past_event and value > today:
        return [Problem("date.future")]
    return []


def number_problems(value: int | float | Decimal) -> list[Problem]:
    if isinstance(value, float) and not math.isfinite(value):
        return [Problem("number.not_finite")]
    if isinstance(value, Decimal) and not value.is_finite():
        return [Problem("number.not_finite")]
    if abs(Decimal(str(value)) if isinstance(value, float) else Decimal(value)) > MAGNITUDE:
        return [Problem("number.too_large", {"limit": int(MAGNITUDE)})]
    return []


def reference_problems(lower, upper) -> dict[str, list[Problem]]:
    """A lab's reference limits (LLN, ULN), either of which may be missing; problems keyed "lower"/"upper"."""
    problems: dict[str, list[Problem]] = {}
    for key, value in (("lower", lower), ("upper", upper)):
        if value is not None and value < 0:
            problems.setdefault(key, []).append(Problem("limit.negative"))
    if lower is not None and upper is not None and not problems and lower >= upper:
        problems.setdefault("lower", []).append(Problem("limit.not_below_uln"))
    return problems


def text_problems(value: str) -> list[Problem]:
    if CONTROL.search(value):
        return [Problem("text.control")]
    return []


def value_problems(name: str, value, *, today: date) -> list[Problem]:
    """A form's cleaned value: the rules for its type (a bool is neither a number nor text here)."""
    if isinstance(value, date):
        return date_problems(value, past_event=name in PAST_EVENTS, today=today)
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float | Decimal):
        return number_problems(value)
    if isinstance(value, str):
        return text_problems(value)
    return []


def _walk(node, path: str) -> Iterator[tuple[str, object]]:
    yield path, node
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _walk(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _walk(child, f"{path}[{index}]")


def document_problems(document, *, today: date) -> list[str]:
    """Every implausible value of an interchange document, as "path: problem" (the path `(document)` for the
    top)."""
    found: list[str] = []

    def add(path: str, problem: Problem) -> None:
        found.append(f"{path or '(document)'}: {problem}")

    for path, node in _walk(document, ""):
        if isinstance(node, dict):
            for key in node:
                if text_problems(key):
                    add(path, Problem("key.control"))
            lower, upper = node.get("lln"), node.get("uln")
            numbers = all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)
                                        and not number_problems(v)) for v in (lower, upper))
            if numbers:
                for which, messages in reference_problems(lower, upper).items():
                    for message in messages:
                        add(f"{path}.{'lln' if which == 'lower' else 'uln'}", message)
        elif isinstance(node, str):
            for message in text_problems(node):
                add(path, message)
            if ISO_DATE.fullmatch(node):
                try:
                    when = date.fromisoformat(node)
                except ValueError:
                    continue  # not a date after all: the section's reader says so
                for message in date_problems(when, past_event=True, today=today):
                    add(path, message)
        elif isinstance(node, int | float | Decimal) and not isinstance(node, bool):
            for message in number_problems(node):
                add(path, message)
    return found
