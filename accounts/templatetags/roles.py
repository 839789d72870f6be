"""`role_label`: a role's name in the reader's language from its code (the group name)."""

from django import template

from accounts.services import role_label as _role_label

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    return _role_label(code)
