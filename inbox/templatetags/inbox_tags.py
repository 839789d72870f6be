from django import template

from inbox.selectors import Unread, unread_badge
from itp_trial.roles import request_role

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_reminders(context) -> Unread:
    """The navbar badge: the user's reminders to do among those the inbox lists (a fixed number of queries; the
    role is the one the request already read)."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return Unread(0)
    return unread_badge(user=user, role=request_role(request))
