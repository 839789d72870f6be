"""Writes of the inbox: raise a reminder (inside the caller's transaction), mark one read."""

from datetime import date

from .emails import reminder_email_message
from .models import Reminder, ReminderRead
from .outbox import outbox_put


def reminder_raise(*, patient, kind: str, due_date: date, audience: str, params: dict) -> Reminder:
    """One reminder per patient/kind/due date (an existing one is kept: never raised or e-mailed twice).

    Call it inside the transaction that writes the record the reminder is about: the reminder and its e-mail
    (an outbox message) commit or roll back with it; a worker is nudged after commit."""
    reminder, created = Reminder.objects.get_or_create(
        patient_id=getattr(patient, "pk", patient), kind=kind, due_date=due_date,
        defaults={"audience": audience, "params": params})
    if created:
        outbox_put([reminder_email_message(reminder.pk)])
    return reminder


def reminders_from_notices(notices) -> None:
    """The project's receiver of the writes' notices (settings.CASEBOOK_NOTICES): each becomes a reminder, in the
    writing transaction (a kind the inbox does not know is refused)."""
    for notice in notices:
        reminder_raise(patient=notice.patient_id, kind=Reminder.Kind(notice.kind).value, due_date=notice.due_date,
                       audience=Reminder.Audience(notice.audience).value, params=notice.params)


def reminder_mark_read(*, reminder: Reminder, user) -> None:
    """Dismiss a reminder from the user's inbox (idempotent)."""
    ReminderRead.objects.get_or_create(reminder=reminder, user=user)
