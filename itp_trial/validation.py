"""The bridge from the pure rule modules' problems to Django's field errors."""

from django.core.exceptions import ValidationError


def problems_error(problems: dict[str, list[str]]) -> ValidationError:
    """Problems as the pure modules word them ("must be between 0 and 1500"), as sentences keyed by field."""
    return ValidationError({field: [m[0].upper() + m[1:].rstrip(".") + "." for m in messages]
                            for field, messages in problems.items()})
