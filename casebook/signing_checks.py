"""What must be settled before records can be signed, asked of the apps above without importing them.

The project names the checks in a setting, like the record types (`CASEBOOK_SIGNING_CHECKS`, dotted paths): each
is called as `check(*, patient_id, entries)` with the (record-type key, id, version) of every record the
signature would lock, and returns the problems people read (empty: nothing stands in the way).
"""

from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string


@cache
def signing_checks() -> tuple[Callable, ...]:
    return tuple(import_string(path) for path in getattr(settings, "CASEBOOK_SIGNING_CHECKS", ()))


def signing_problems(*, patient_id: int, entries: Iterable[tuple[str, int, int]]) -> list[str]:
    entries = tuple(entries)
    return [problem for check in signing_checks() for problem in check(patient_id=patient_id, entries=entries)]


def require_nothing_pending(*, patient_id: int, entries: Iterable[tuple[str, int, int]]) -> None:
    """Refuse a signature (nothing is signed) while a check names a problem."""
    problems = signing_problems(patient_id=patient_id, entries=entries)
    if problems:
        raise ValidationError(problems, code="signing_blocked")
