"""The app's own error pages: a bad request, a page not found, a refused form (CSRF), a server error.

Each says what happened in the user's words and gives a way back; none shows Django's raw pages.
"""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token


def _back(request) -> str | None:
    """The page the user came from, when it is on this site (the form they were filling in)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return referer
    return None


def _safe_back(request) -> str | None:
    try:
        return _back(request)
    except Exception:  # noqa: BLE001 - a hostile Host header must not turn an error page into a server error
        return None


@requires_csrf_token
def csrf_failure(request, reason: str = ""):
    """settings.CSRF_FAILURE_VIEW: the form could not be checked (cookies cleared, page open too long)."""
    return render(request, "errors/csrf.html", {"back": _safe_back(request)}, status=403)


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "errors/400.html", {"back": _safe_back(request)}, status=400)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"back": _safe_back(request)}, status=404)
