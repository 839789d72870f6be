"""Reads of the inbox: the user's reminders and the navbar's unread count, each in one query."""

from django.db.models import Exists, OuterRef

from itp_trial.roles import role_of

from .models import Reminder, ReminderRead


def _audiences(user) -> list[str]:
    role = role_of(user)
    return [role.code] if role and role.code in Reminder.Audience.values else []


def inbox(*, user, limit: int = 200) -> list[Reminder]:
    """The user's reminders (their role's), unread first, newest due date first; `is_read` annotated."""
    read = ReminderRead.objects.filter(reminder=OuterRef("pk"), user=user)
    return list(Reminder.objects.filter(audience__in=_audiences(user)).select_related("patient")
                .annotate(is_read=Exists(read)).order_by("is_read", "-due_date", "-id")[:limit])


def unread_count(*, user) -> int:
    read = ReminderRead.objects.filter(reminder=OuterRef("pk"), user=user)
    return Reminder.objects.filter(audience__in=_audiences(user)).exclude(Exists(read)).count()
