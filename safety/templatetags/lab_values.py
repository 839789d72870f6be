"""Template filters for doses, levels and lab values, and CTCAE terms in the reader's language.

- `plain`: a number as entered, without the trailing zeros of its stored decimal places (a lab value stored as
  5.900 shows 5.9, a dose stored as 2.00 shows 2, 100.000 shows 100); the one way the dosing and safety pages
  show a value.
- `ctcae_term`: a CTCAE term's established Chinese name on a Chinese page, the English term otherwise (a free-text
  "other" term shows as typed).
"""

from django import template

from safety.messages import lab_status_label, soc_label, term_label
from safety.values import plain as plain_number

register = template.Library()


@register.filter
def plain(value) -> str:
    return plain_number(value)


@register.filter
def ctcae_term(name) -> str:
    return term_label(name)


@register.filter
def soc(name) -> str:
    """A system organ class in the reader's language."""
    return soc_label(name)


@register.filter
def lab_status(code: str) -> str:
    """A safety-lab panel's status (due, overdue, done, upcoming, ended) in the reader's language."""
    return lab_status_label(code)
