"""Template filters of the visit pages: numbers as entered (platelets "18", not "18.0") and visit names."""

from decimal import Decimal

from django import template

from itp_trial.validation import shown
from visits.messages import due_label as _due_label
from visits.messages import visit_name as _visit_name

register = template.Library()


@register.filter
def plain(value):
    """A number without spurious decimals ("18.0" → "18", "5.90" → "5.9"); anything else unchanged."""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return shown(Decimal(str(value)))
    return value


@register.filter
def visit_name(code: str) -> str:
    """A visit's name in the user's language (基线, 第1周 … 计划外访视) from its code."""
    return _visit_name(code)


@register.filter
def due_label(topic: str, state: str) -> str:
    """What is due on the patient list ("visit overdue", "labs due") in the user's language."""
    return _due_label(topic, state)
