"""The address a sign-in attempt came from, for the lockout and the sign-in log."""

from django.conf import settings


def client_address(request) -> str | None:
    """REMOTE_ADDR; behind the production proxy, the address the proxy appended to X-Forwarded-For (the last
    one: earlier entries come from the client and could be forged)."""
    if settings.SIGN_IN_ADDRESS_FROM_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
