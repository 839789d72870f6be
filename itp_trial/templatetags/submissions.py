import uuid

from django import template
from django.utils.html import format_html

from itp_trial.submissions import FIELD, submission_key

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_key_field(context) -> str:
    """The form's one-time key: the one it was posted with when shown again with errors, else a new one."""
    request = context.get("request")
    key = submission_key(request.POST) if request is not None and request.method == "POST" else None
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key or uuid.uuid4())
