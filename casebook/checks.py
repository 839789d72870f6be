"""Running a record's checks one after the other and keeping every message, so a form shows all its problems at
once (the write path and the import's bulk write check records the same way)."""

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError


def collected_errors(steps: Iterable[Callable[[], None]], errors: dict | None = None) -> dict:
    """Run each check; the ValidationErrors they raise merged into one error dict (`errors` extended)."""
    errors = {} if errors is None else errors
    for step in steps:
        try:
            step()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    return errors
