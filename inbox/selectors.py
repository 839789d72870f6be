"""Reads of the inbox: the user's reminders and the navbar's unread count, with what resolved them (each in a
fixed number of queries, and reading at most INBOX_SIZE reminders however many the study has)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef

from itp_trial.roles import Role, role_of

from .models import Reminder, ReminderRead
from .resolution import reminder_resolutions

# The inbox lists this many reminders a page, the unread ones first and newest first; the navbar badge counts among
# the first page's unread ones, so a study with tens of thousands of reminders costs every page the same.
INBOX_SIZE = 200


def _audiences(role: Role | None) -> list[str]:
    return [role.code] if role and role.code in Reminder.Audience.values else []


@dataclass(frozen=True)
class Unread:
    """The navbar badge: reminders neither read nor resolved among the newest INBOX_SIZE unread ones (those the
    inbox lists); `more` when older unread reminders lie beyond them (the badge then reads "12+")."""

    count: int
    more: bool = False

    def __str__(self) -> str:
        return f"{self.count}+" if self.more else str(self.count)


def _listed(user):
    """The user's reminders (their role's) in the inbox's order: unread first, newest due date first."""
    read = ReminderRead.objects.filter(reminder=OuterRef("pk"), user=user)
    return (Reminder.objects.filter(audience__in=_audiences(role_of(user))).select_related("patient")
            .annotate(is_read=Exists(read)).order_by("is_read", "-due_date", "-id"))


def inbox(*, user) -> list[Reminder]:
    """The user's first page of reminders, as `inbox_page` gives it."""
    return _resolved(list(_listed(user)[:INBOX_SIZE]))


def inbox_page(*, user, number) -> Page:
    """One page of INBOX_SIZE reminders (`number`: as the query string gives it; out of range: the last page);
    on the page, to do first (neither read nor resolved), newest due date first; `is_read` and `resolution`
    (inbox.resolution: the cause done, by whom) set on each. A fixed number of queries."""
    page = Paginator(_listed(user), INBOX_SIZE).get_page(number)
    page.object_list = _resolved(list(page.object_list))
    return page


def _resolved(reminders: list[Reminder]) -> list[Reminder]:
    resolutions = reminder_resolutions(reminders)
    for reminder in reminders:
        reminder.resolution = resolutions.get(reminder.pk)
    return sorted(reminders, key=lambda r: r.is_read or r.resolution is not None)  # stable: keeps date order


def unread_badge(*, user, role: Role | None) -> Unread:
    """What the navbar badge shows to `user` (of study role `role`, read once per request by the caller): a fixed
    number of queries, over at most INBOX_SIZE + 1 reminders."""
    audiences = _audiences(role)
    if not audiences:
        return Unread(0)
    read = ReminderRead.objects.filter(reminder=OuterRef("pk"), user=user)
    unread = list(Reminder.objects.filter(audience__in=audiences).exclude(Exists(read))
                  .only("id", "patient_id", "kind", "due_date").order_by("-due_date", "-id")[:INBOX_SIZE + 1])
    listed = unread[:INBOX_SIZE]
    return Unread(len(listed) - len(reminder_resolutions(listed)), more=len(unread) > INBOX_SIZE)


def unread_count(*, user) -> int:
    """Reminders the user has neither read nor seen resolved, among those the inbox lists."""
    return unread_badge(user=user, role=role_of(user)).count
