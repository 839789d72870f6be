from django import template

from inbox.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_reminders(context) -> int:
    """The navbar badge: the user's unread reminders (one query)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user=user)
