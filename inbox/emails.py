"""Reminder e-mail: one e-mail per reminder and recipient (the users of its audience with an address), written in
the recipient's language.

Called by the outbox drain for a `reminder_email` message, inside the transaction that holds the message's
row lock; each e-mail handed to the mail server leaves an EmailSent row (unique per message and recipient),
so a retried message skips whoever already got it. The recipients who have not had it are grouped by their
language (accounts.languages): subject and body are rendered once per language, under translation.override.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.utils import timezone, translation

from accounts.languages import languages_of

from .models import EmailSent, OutboxMessage, Reminder
from .texts import reminder_body, reminder_subject


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str  # a code of settings.LANGUAGES: what the e-mail is written in


def recipients_by_audience() -> dict[str, list[Recipient]]:
    """Active users with an e-mail address, per study role (the reminder audiences), each with their language
    (two queries whatever the number of users)."""
    users = list(get_user_model().objects.filter(is_active=True, groups__name__in=Reminder.Audience.values)
                 .exclude(email="").values_list("groups__name", "email", "id").order_by("email"))
    languages = languages_of({user_id for _, _, user_id in users})
    found: dict[str, list[Recipient]] = {}
    for role, email, user_id in users:
        found.setdefault(role, []).append(Recipient(email, languages[user_id]))
    return found


def reminder_email_message(reminder_id: int) -> OutboxMessage:
    return OutboxMessage(key=f"{OutboxMessage.Topic.REMINDER_EMAIL}:{reminder_id}",
                         topic=OutboxMessage.Topic.REMINDER_EMAIL, payload={"reminder": reminder_id})


def by_language(recipients: list[Recipient], *, skip: set[str]) -> dict[str, list[str]]:
    """The addresses not in `skip`, grouped by language (each address once, in the order given)."""
    grouped: dict[str, list[str]] = {}
    for recipient in recipients:
        if recipient.email not in skip:
            skip = skip | {recipient.email}
            grouped.setdefault(recipient.language, []).append(recipient.email)
    return grouped


def reminder_email_send(message: OutboxMessage, *, connection, recipients: dict[str, list[Recipient]]) -> int:
    """Send the reminder of `message` to each recipient who has not had it, in their language; returns how many
    were sent."""
    reminder = Reminder.objects.select_related("patient").filter(pk=message.payload.get("reminder")).first()
    if reminder is None:  # its patient was deleted: nothing to tell anyone
        return 0
    already = set(EmailSent.objects.filter(message=message).values_list("recipient", flat=True))
    sent = 0
    for language, addresses in by_language(recipients.get(reminder.audience, []), skip=already).items():
        with translation.override(language):
            subject, body = reminder_subject(reminder), reminder_body(reminder)
        for address in addresses:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection).send()
            EmailSent.objects.create(message=message, recipient=address)
            sent += 1
    Reminder.objects.filter(pk=reminder.pk).update(emailed_at=timezone.now())
    return sent
