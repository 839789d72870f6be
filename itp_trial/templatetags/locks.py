"""Template filter for record locks: whether a record dated `day` is outside a casebook signed up to a date."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def unlocked(day: date | None, locked_until: date | None) -> bool:
    """True when no casebook signature covers `day` (the services refuse the write either way)."""
    return locked_until is None or day is None or day > locked_until
