"""Reminders (kind + parameters, rendered when read), who read them, and the outbox of work to do after commit.

A reminder is created once per patient/kind/due date (the unique key makes scans and retries idempotent).
An OutboxMessage is written in the same transaction as the record that needs it (unique key: written once)
and drained by the worker and by beat; each e-mail it sends leaves one EmailSent row, unique per message
and recipient, the proof that nobody got the same e-mail twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patients.models import Patient


class Reminder(models.Model):
    """Something someone must do. Its text is rendered from kind + params when read (inbox.texts)."""

    class Kind(models.TextChoices):
        LAB_DUE = "lab_due", _("Safety labs due")
        LAB_OVERDUE = "lab_overdue", _("Safety labs overdue")
        TROUGH_DUE = "trough_due", _("Trough level due")
        VISIT_DUE = "visit_due", _("Visit due")
        AE_PROPOSED = "ae_proposed", _("Adverse event to confirm")
        AE_REVIEW = "ae_review", _("Adverse event to review (its lab value was corrected)")
        WITHDRAWAL = "withdrawal", _("Withdrawal to complete")

    class Audience(models.TextChoices):
        NURSE = "nurse", _("Study nurses")
        PHYSICIAN = "physician", _("Physicians")

    # No index of its own: the unique key below starts with the patient, and serves the lookups by patient.
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reminders", db_index=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    due_date = models.DateField()
    audience = models.CharField(max_length=10, choices=Audience.choices)
    params = models.JSONField(default=dict, blank=True)  # what the text says, as data (see inbox.texts)
    message = models.CharField(max_length=250, blank=True)  # only reminders written before params existed
    created_at = models.DateTimeField(auto_now_add=True)
    batch = models.UUIDField(default=uuid.uuid4, editable=False)  # the scan (or service call) that created it
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["patient", "kind", "due_date"], name="one_reminder_per_key")]
        indexes = [models.Index(fields=["audience", "due_date"], name="inbox_reminder_audience_due")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from .texts import reminder_text

        return reminder_text(self)


class ReminderRead(models.Model):
    """A user has read (dismissed) a reminder in their inbox."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reminder", "user"], name="one_read_per_user")]

    def __str__(self) -> str:
        return f"{self.reminder_id} read by {self.user_id}"


class OutboxMessage(models.Model):
    """Work to do once the transaction that wrote it has committed (today: e-mail a reminder)."""

    class Topic(models.TextChoices):
        REMINDER_EMAIL = "reminder_email", _("E-mail a reminder")

    key = models.CharField(max_length=120)  # e.g. "reminder_email:42": one message per purpose (unique, below)
    topic = models.CharField(max_length=40, choices=Topic.choices)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=250, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        # A constraint, not unique=True on the field: that also builds a second index for LIKE, never used.
        constraints = [models.UniqueConstraint(fields=["key"], name="one_outbox_message_per_key")]
        indexes = [models.Index(fields=["next_attempt_at"], condition=models.Q(done_at__isnull=True),
                                name="inbox_outbox_pending")]

    def __str__(self) -> str:
        return self.key


class EmailSent(models.Model):
    """One e-mail handed to the mail server: at most one per outbox message and recipient."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="emails")
    recipient = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "recipient"], name="one_email_per_recipient")]

    def __str__(self) -> str:
        return f"{self.message.key} → {self.recipient}"
