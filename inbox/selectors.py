"""Reads of the inbox: the user's reminders and the navbar's unread count, with what resolved them (each in a
fixed number of queries)."""

from django.db.models import Exists, OuterRef

from itp_trial.roles import role_of

from .models import Reminder, ReminderRead
from .resolution import reminder_resolutions


def _audiences(user) -> list[str]:
    role = role_of(user)
    return [role.code] if role and role.code in Reminder.Audience.values else []


def inbox(*, user, limit: int = 200) -> list[Reminder]:
    """The user's reminders (their role's): to do first (neither read nor resolved), newest due date first;
    `is_read` and `resolution` (inbox.resolution: the cause done, by whom) set on each."""
    read = ReminderRead.objects.filter(reminder=OuterRef("pk"), user=user)
    reminders = list(Reminder.objects.filter(audience__in=_audiences(user)).select_related("patient")
                     .annotate(is_read=Exists(read)).order_by("is_read", "-due_date", "-id")[:limit])
    resolutions = reminder_resolutions(reminders)
    for reminder in reminders:
        reminder.resolution = resolutions.get(reminder.pk)
    return sorted(reminders, key=lambda r: r.is_read or r.resolution is not None)  # stable: keeps date order


def unread_count(*, user) -> int:
    """Reminders the user has neither read nor seen resolved (a fixed number of queries)."""
    read = ReminderRead.objects.filter(reminder=OuterRef("pk"), user=user)
    unread = list(Reminder.objects.filter(audience__in=_audiences(user)).exclude(Exists(read))
                  .only("id", "patient_id", "kind", "due_date"))
    return len(unread) - len(reminder_resolutions(unread))
