"""What the data managers' account pages read."""

from dataclasses import dataclass
from datetime import datetime
from heapq import merge

from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from .models import AccountChange, RoleRequest

SIGN_IN_PAGE_SIZE = 200


@dataclass(frozen=True)
class SignIn:
    at: datetime
    username: str
    address: str
    outcome: str  # signed in, wrong password, locked out
    where: str


def _where(path: str) -> str:
    if path.startswith(reverse("admin:index")):
        return "admin login"
    if path.startswith("/review/"):
        return "signature password"
    if path == reverse("login"):
        return "login page"
    return path


def sign_ins(*, username: str = "", limit: int = SIGN_IN_PAGE_SIZE) -> list[SignIn]:
    """The latest sign-ins and failed attempts (newest first), from axes' logs."""
    successes = AccessLog.objects.order_by("-attempt_time", "-id")
    failures = AccessFailureLog.objects.order_by("-attempt_time", "-id")
    if username:
        successes, failures = successes.filter(username=username), failures.filter(username=username)
    ok = (SignIn(r.attempt_time, r.username or "", r.ip_address or "", "signed in", _where(r.path_info))
          for r in successes[:limit])
    failed = (SignIn(r.attempt_time, r.username or "", r.ip_address or "",
                     "locked out" if r.locked_out else "wrong password", _where(r.path_info))
              for r in failures[:limit])
    return list(merge(ok, failed, key=lambda e: e.at, reverse=True))[:limit]


def accounts_managed() -> QuerySet:
    """Every account a data manager manages (superusers are not among them), with roles and open requests."""
    pending = RoleRequest.objects.filter(status=RoleRequest.Status.PENDING)
    return (get_user_model().objects.filter(is_superuser=False).order_by("username")
            .prefetch_related("groups", Prefetch("role_requests", queryset=pending, to_attr="pending_requests")))


def account_changes(*, account=None) -> QuerySet:
    changes = AccountChange.objects.select_related("account", "changed_by")
    return changes.filter(account=account) if account is not None else changes


def role_requests() -> QuerySet:
    return RoleRequest.objects.select_related("account", "requested_by", "decided_by")
