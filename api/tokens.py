"""Create, revoke and check personal API tokens (services; the page and the authentication call these)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiToken

SECRET_PREFIX = "itp_"
PREFIX_LENGTH = 12
LIFETIMES = (30, 90, 365)  # days a new token can live
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to its owner once, never stored


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user, name: str, days: int, now: datetime | None = None) -> NewToken:
    """A new token for `user`, valid for `days`; its creation is kept in the token's history."""
    name = (name or "").strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems.setdefault("name", []).append(_("Give the token a name (what it is for)."))
    if days not in LIFETIMES:
        problems.setdefault("days", []).append(_("Choose one of the offered lifetimes."))
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=secret[:PREFIX_LENGTH], digest=digest_of(secret), created_at=now,
                     expires_at=now + timedelta(days=days))
    token._history_user = user
    token._change_reason = "token created"
    with transaction.atomic():
        token.full_clean()
        token.save()
    return NewToken(token, secret)


def token_revoke(*, token: ApiToken, user, now: datetime | None = None) -> ApiToken:
    """Revoke one of `user`'s tokens (from then on it is refused); kept in the token's history."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
        if token.revoked_at is not None:
            return token
        token.revoked_at = now or timezone.now()
        token._history_user = user
        token._change_reason = "token revoked"
        token.save()
    return token


def token_user(*, secret: str, now: datetime | None = None):
    """The active user a presented secret belongs to, or None (unknown, revoked, expired, inactive user)."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(digest=digest_of(secret)).first()
    if token is None or not token.usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def tokens_of(*, user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))
