"""Reminder e-mail: one e-mail per reminder and recipient (the users of its audience with an address).

Called by the outbox drain for a `reminder_email` message, inside the transaction that holds the message's
row lock; each e-mail handed to the mail server leaves an EmailSent row (unique per message and recipient),
so a retried message skips whoever already got it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.utils import timezone

from .models import EmailSent, OutboxMessage, Reminder
from .texts import reminder_body, reminder_subject


def recipients_by_audience() -> dict[str, list[str]]:
    """Active users with an e-mail address, per study role (the reminder audiences)."""
    found: dict[str, list[str]] = {}
    users = (get_user_model().objects.filter(is_active=True, groups__name__in=Reminder.Audience.values)
             .exclude(email="").values_list("groups__name", "email").order_by("email"))
    for role, email in users:
        found.setdefault(role, []).append(email)
    return found


def reminder_email_message(reminder_id: int) -> OutboxMessage:
    return OutboxMessage(key=f"{OutboxMessage.Topic.REMINDER_EMAIL}:{reminder_id}",
                         topic=OutboxMessage.Topic.REMINDER_EMAIL, payload={"reminder": reminder_id})


def reminder_email_send(message: OutboxMessage, *, connection, recipients: dict[str, list[str]]) -> int:
    """Send the reminder of `message` to each recipient who has not had it; returns how many were sent."""
    reminder = Reminder.objects.select_related("patient").filter(pk=message.payload.get("reminder")).first()
    if reminder is None:  # its patient was deleted: nothing to tell anyone
        return 0
    already = set(EmailSent.objects.filter(message=message).values_list("recipient", flat=True))
    sent = 0
    for address in recipients.get(reminder.audience, []):
        if address in already:
            continue
        EmailMessage(reminder_subject(reminder), reminder_body(reminder), settings.DEFAULT_FROM_EMAIL, [address],
                     connection=connection).send()
        EmailSent.objects.create(message=message, recipient=address)
        sent += 1
    Reminder.objects.filter(pk=reminder.pk).update(emailed_at=timezone.now())
    return sent
