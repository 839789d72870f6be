"""`Authorization: Bearer <token>` for scripts; the browser session (with CSRF) for the web app's pages.

Wrong tokens count against the client's address: after API_TOKEN_FAILURE_LIMIT of them within
API_TOKEN_FAILURE_WINDOW seconds the address is refused (429) until the window has passed, like a login page that
locks out password guessing.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .tokens import token_user

KEYWORD = "Bearer"


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _failures_key(request) -> str:
    return f"api-token-failures:{_client(request)}"


class LockedOut(exceptions.Throttled):
    default_detail = _("Too many wrong tokens from this address; try again later.")


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != KEYWORD.lower():
            return None
        window = settings.API_TOKEN_FAILURE_WINDOW
        if cache.get(_failures_key(request), 0) >= settings.API_TOKEN_FAILURE_LIMIT:
            raise LockedOut(wait=window)
        user = token_user(secret=header[1]) if len(header) == 2 else None
        if user is None:
            key = _failures_key(request)
            cache.add(key, 0, timeout=window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return user, None

    def authenticate_header(self, request):
        return KEYWORD


class SessionAuthentication(authentication.SessionAuthentication):
    """The web app's session; unsafe methods need the CSRF token as on every form."""
