"""Account records: the account audit trail, role requests that need a second data manager, one-time password
links. Rows here are written only by accounts.services (one transaction per change, with its audit row)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountChange(models.Model):
    """One change of one account: who, when, what (old → new) and why. Never edited or deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Account created")
        DETAILS = "details", _("Name or e-mail changed")
        ROLE = "role", _("Role changed")
        ACTIVATION = "activation", _("Activation changed")
        ROLE_REQUESTED = "role_requested", _("Sign-off role requested")
        ROLE_APPROVED = "role_approved", _("Sign-off role request approved")
        ROLE_REFUSED = "role_refused", _("Sign-off role request refused")
        PASSWORD_LINK = "password_link", _("Password link issued")
        PASSWORD_SET = "password_set", _("Password set through a link")
        LANGUAGE = "language", _("Language changed")

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    field = models.CharField(max_length=30, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ("-changed_at", "-id")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="account_change_has_reason")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.account} by {self.changed_by}"


class RoleRequest(models.Model):
    """A request to give an account a sign-off role, decided by a second, different data manager."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second data manager")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_requests")
    role = models.CharField(max_length=30)
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("-requested_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["account"], condition=Q(status="pending"),
                                    name="one_pending_role_request_per_account"),
            models.CheckConstraint(condition=Q(status="pending") | ~Q(decided_by=models.F("requested_by")),
                                   name="role_request_decided_by_second_person"),
        ]

    def __str__(self):
        return f"Role request #{self.pk}: {self.role} for {self.account}"


class PasswordLink(models.Model):
    """A one-time, expiring link with which the account's owner sets a password. Only the token's SHA-256 is
    kept: the link itself is shown once to the data manager who issued it."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="password_links")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)  # a newer link for the same account replaced it

    class Meta:
        ordering = ("-issued_at", "-id")

    def __str__(self):
        return f"Password link for {self.account} issued {self.issued_at:%Y-%m-%d %H:%M}"


class Preference(models.Model):
    """What a user chose for themselves: the language of their pages, reminders and e-mails (accounts.languages)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)  # blank: the site's

    def __str__(self) -> str:
        return f"{self.user} · {self.language or 'site language'}"
