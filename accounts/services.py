"""Account services: every change of an account, its role or its activation is one transaction that writes the
change and its audit row (who, when, old, new, reason). Accounts are not casebook records (no patient, no lock
dates), so they do not go through casebook.writes; the rules here play the same part for them.

Separation of duties:
- data managers manage accounts, never superusers, and never make one;
- a sign-off role (one that carries the signing capability) is only given when a second, different data manager
  approves the request (and not the account's owner);
- nobody sets another person's password: a data manager issues a one-time, expiring link and the owner sets it.
"""

import hashlib
import secrets
from datetime import timedelta

from axes.utils import reset as lockout_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itp_trial.roles import MANAGE_USERS, REVIEW_DATA, ROLES_BY_CODE, role_of

from .models import AccountChange, PasswordLink, Preference, RoleRequest

User = get_user_model()
NO_ROLE = ""
REASON_REQUIRED = gettext_lazy("Give the reason for this change.")


class AlreadyDecided(Exception):
    """The role request was decided before this decision arrived (a second click, or another data manager)."""

    def __init__(self, request: RoleRequest):
        super().__init__(f"Role request #{request.pk} was already {request.status}.")  # for logs, not shown
        self.request = request


def grants_sign_off(role_code: str) -> bool:
    role = ROLES_BY_CODE.get(role_code)
    return role is not None and REVIEW_DATA in role.permissions


def role_label(role_code: str) -> str:
    """The role's name in the reader's language (pages, messages)."""
    role = ROLES_BY_CODE.get(role_code)
    return str(role.label) if role else _("no role")


def _stored_role(role_code: str) -> str:
    """The role's name as the account audit stores it: in English, whatever the language of the page."""
    with translation.override("en"):
        role = ROLES_BY_CODE.get(role_code)
        return str(role.label) if role else "no role"


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    return reason


def _manager(by) -> None:
    if not by.is_active or not by.has_perm(MANAGE_USERS):
        raise PermissionDenied(_("Only data managers manage accounts."))


def _locked(account) -> "User":
    """The account's row, locked for this transaction; superusers are out of reach."""
    account = User.objects.select_for_update().get(pk=account.pk)
    if account.is_superuser:
        raise PermissionDenied(_("Superuser accounts are not managed here."))
    return account


def _audit(*, account, by, kind: str, reason: str, field: str = "", old: str = "", new: str = "") -> AccountChange:
    return AccountChange.objects.create(account=account, changed_by=by, changed_at=timezone.now(), kind=kind,
                                        field=field, old=old, new=new, reason=reason)


def _role_code(account) -> str:
    role = role_of(account)
    return role.code if role else NO_ROLE


def _set_role(account, role_code: str) -> None:
    account.groups.set(Group.objects.filter(name=role_code) if role_code else [])


@transaction.atomic
def account_create(*, username: str, first_name: str, last_name: str, email: str, role: str, by,
                   reason: str) -> "User":
    """A new account without a usable password (its owner sets one through a link) and without a sign-off role
    (that needs a request and a second data manager)."""
    _manager(by)
    reason = _reason(reason)
    if role and role not in ROLES_BY_CODE:
        raise ValidationError({"role": _("Choose one of the study roles.")})
    if grants_sign_off(role):
        raise ValidationError({"role": _("%(role)s signs off clinical data: create the account with another role, "
                                         "then request it (a second data manager approves).")
                               % {"role": role_label(role)}})
    account = User(username=username, first_name=first_name, last_name=last_name, email=email)
    account.set_unusable_password()
    account.full_clean()
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as error:  # created by someone else a moment ago
        raise ValidationError({"username": _("An account with this username already exists.")}) from error
    _set_role(account, role)
    _audit(account=account, by=by, kind=AccountChange.Kind.CREATED, reason=reason, field="role",
           new=_stored_role(role))
    return account


DETAIL_FIELDS = ("first_name", "last_name", "email")


@transaction.atomic
def account_update(*, account, first_name: str, last_name: str, email: str, is_active: bool, by,
                   reason: str) -> list[AccountChange]:
    """Change names, e-mail and activation; one audit row per changed field."""
    _manager(by)
    reason = _reason(reason)
    account = _locked(account)
    if account.pk == by.pk and not is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account; ask another data manager.")})
    new = {"first_name": first_name, "last_name": last_name, "email": email, "is_active": is_active}
    changed = [name for name, value in new.items() if getattr(account, name) != value]
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    rows = []
    for name in changed:
        kind = AccountChange.Kind.ACTIVATION if name == "is_active" else AccountChange.Kind.DETAILS
        old = getattr(account, name)
        rows.append(_audit(account=account, by=by, kind=kind, reason=reason, field=name,
                           old=_text(old), new=_text(new[name])))
        setattr(account, name, new[name])
    account.full_clean()
    account.save(update_fields=changed)
    return rows


def _text(value) -> str:
    if isinstance(value, bool):
        return "active" if value else "inactive"
    return str(value)


@transaction.atomic
def account_role_set(*, account, role: str, by, reason: str) -> AccountChange:
    """Give a role without sign-off rights (or none) at once; a sign-off role needs role_request_create."""
    _manager(by)
    reason = _reason(reason)
    if role and role not in ROLES_BY_CODE:
        raise ValidationError({"role": _("Choose one of the study roles.")})
    if grants_sign_off(role):
        raise ValidationError({"role": _("%(role)s signs off clinical data: request it; a second data manager "
                                         "approves.") % {"role": role_label(role)}})
    account = _locked(account)
    old = _role_code(account)
    if old == role:
        raise ValidationError({"role": _("The account already has %(role)s.") % {"role": role_label(role)}})
    _set_role(account, role)
    return _audit(account=account, by=by, kind=AccountChange.Kind.ROLE, reason=reason, field="role",
                  old=_stored_role(old), new=_stored_role(role))


@transaction.atomic
def role_request_create(*, account, role: str, by, reason: str) -> RoleRequest:
    """Ask for a sign-off role for `account` (the requester's own included); nothing changes until a second data
    manager approves."""
    _manager(by)
    reason = _reason(reason)
    if not grants_sign_off(role):
        raise ValidationError({"role": _("Only sign-off roles are requested; give other roles directly.")})
    account = _locked(account)
    if _role_code(account) == role:
        raise ValidationError({"role": _("The account already has %(role)s.") % {"role": role_label(role)}})
    if RoleRequest.objects.filter(account=account, status=RoleRequest.Status.PENDING).exists():
        raise ValidationError(_("A request for this account is already waiting for a decision."))
    request = RoleRequest.objects.create(account=account, role=role, reason=reason, requested_by=by,
                                         requested_at=timezone.now())
    _audit(account=account, by=by, kind=AccountChange.Kind.ROLE_REQUESTED, reason=reason, field="role",
           old=_stored_role(_role_code(account)), new=_stored_role(role))
    return request


@transaction.atomic
def role_request_decide(*, request_id: int, approve: bool, by, reason: str) -> RoleRequest:
    """Approve (the role is given) or refuse a pending request. The decider is a data manager other than the
    requester and the account's owner. A request decided already raises AlreadyDecided and changes nothing."""
    _manager(by)
    reason = _reason(reason)
    request = RoleRequest.objects.select_for_update().select_related("account", "requested_by").get(pk=request_id)
    if request.status != RoleRequest.Status.PENDING:
        raise AlreadyDecided(request)
    if by.pk == request.requested_by_id:
        raise ValidationError(_("You made this request: a second data manager decides it."))
    if by.pk == request.account_id:
        raise ValidationError(_("This request is for your own account: another data manager decides it."))
    account = _locked(request.account)
    request.status = RoleRequest.Status.APPROVED if approve else RoleRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_reason = by, timezone.now(), reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    old = _role_code(account)
    kind = AccountChange.Kind.ROLE_APPROVED if approve else AccountChange.Kind.ROLE_REFUSED
    _audit(account=account, by=by, kind=kind, reason=reason, field="role", old=_stored_role(old),
           new=_stored_role(request.role if approve else old))
    if approve:
        _set_role(account, request.role)
        _audit(account=account, by=by, kind=AccountChange.Kind.ROLE, field="role", old=_stored_role(old),
               new=_stored_role(request.role),
               reason=f"{reason} (request #{request.pk} by {request.requested_by.get_username()}: {request.reason})")
    return request


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def password_link_issue(*, account, by, reason: str) -> str:
    """A new one-time link for `account`'s owner to set a password; earlier open links stop working. Returns the
    token, for the view to e-mail to the owner (only its hash is stored; the data manager never sees it)."""
    _manager(by)
    reason = _reason(reason)
    account = _locked(account)
    if not account.email:
        raise ValidationError({"reason": _("The account has no e-mail address: add one first (the link goes only "
                                           "to its owner).")})
    now = timezone.now()
    PasswordLink.objects.filter(account=account, used_at=None, voided_at=None).update(voided_at=now)
    token = secrets.token_urlsafe(32)
    link = PasswordLink.objects.create(account=account, token_hash=_token_hash(token), issued_by=by, issued_at=now,
                                       expires_at=now + timedelta(hours=settings.PASSWORD_LINK_HOURS))
    _audit(account=account, by=by, kind=AccountChange.Kind.PASSWORD_LINK, reason=reason, field="password",
           new=f"one-time link valid until {timezone.localtime(link.expires_at):%Y-%m-%d %H:%M}")
    return token


def password_link_open(token: str) -> PasswordLink | None:
    """The link of `token` if it can still be used (not used, not replaced, not expired)."""
    if not token or len(token) > 100:
        return None
    return (PasswordLink.objects.select_related("account")
            .filter(token_hash=_token_hash(token), used_at=None, voided_at=None, expires_at__gt=timezone.now(),
                    account__is_superuser=False).first())


@transaction.atomic
def password_link_use(*, token: str, password: str) -> "User":
    """The owner sets the password through the link; the link is then spent, and the account's sign-in lockout
    ends (an address's lockout stays)."""
    link = password_link_open(token)
    if link is None:
        raise ValidationError(_("This link is not valid any more (used, replaced or expired). Ask a data manager "
                                "for a new one."))
    link = PasswordLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None:
        raise ValidationError(_("This link was used already. Ask a data manager for a new one."))
    account = _locked(link.account)
    validate_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    _audit(account=account, by=account, kind=AccountChange.Kind.PASSWORD_SET, field="password",
           new="set by the account's owner", reason=f"one-time link issued by {link.issued_by.get_username()} at "
                                                    f"{timezone.localtime(link.issued_at):%Y-%m-%d %H:%M}")
    lockout_reset(username=account.get_username())
    return account


LANGUAGE_CHOSEN = "chosen by the account's owner (language switch)"


@transaction.atomic
def language_set(*, user, language: str) -> AccountChange | None:
    """The language a signed-in user chose for their pages, reminders and e-mails (accounts.languages), with its
    audit row (who, when, old, new); None when it was already theirs. Each user sets only their own."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the site's languages.")})
    preference = Preference.objects.select_for_update().get_or_create(user=user)[0]
    if preference.language == language:
        return None
    old = preference.language
    preference.language = language
    preference.save(update_fields=["language"])
    return _audit(account=user, by=user, kind=AccountChange.Kind.LANGUAGE, reason=LANGUAGE_CHOSEN,
                  field="language", old=old, new=language)
