"""Template filters naming the dosing codes in the reader's language (words from dosing.messages)."""

from django import template

from dosing.messages import GROUPS
from dosing.models import Phase

register = template.Library()


@register.filter
def age_group(code: str) -> str:
    """adult / child in the reader's language."""
    return str(GROUPS.get(code, code))


@register.filter
def dose_phase(code: str) -> str:
    """A dose phase code (start, maintenance, ...) as its label."""
    try:
        return str(Phase(code).label)
    except ValueError:
        return code
