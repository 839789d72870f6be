"""Input no person types and the database cannot store: refused with 400 before any view sees it.

PostgreSQL cannot hold a NUL byte in text, and the driver refuses a query that carries one, so a NUL in a URL
(`/patients/ITP%00-1/`), a query parameter, a posted field or a cookie would otherwise surface as a server
error wherever the value reaches a query. It is answered here, once, with the app's "bad request" page.
"""

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse

# The machine interface answers in JSON (its documented 400 body: problems keyed by field, here the request part).
API_PREFIX = "/api/"
logger = logging.getLogger("django.security.NulByteRefused")


class NulByteRefused(SuspiciousOperation):
    """Django answers SuspiciousOperation with 400 (handler400) and logs it to django.security."""


def _has_nul(pairs) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def nul_in_request(request) -> str | None:
    """Where the request carries a NUL byte (None when it does not)."""
    if "\x00" in request.path:
        return "path"
    if _has_nul((k, v) for k, vs in request.GET.lists() for v in vs):
        return "query"
    if _has_nul(request.COOKIES.items()):
        return "cookie"
    if request.method == "POST" and _has_nul((k, v) for k, vs in request.POST.lists() for v in vs):
        return "form"
    return None


class HostileInputMiddleware:
    """Before SessionMiddleware: a NUL in the session cookie never reaches the session table."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = nul_in_request(request)
        if where is not None:
            if request.path_info.startswith(API_PREFIX):
                logger.error("NUL byte in the request's %s", where)
                return JsonResponse({"non_field_errors": [f"The request's {where} contains a NUL byte."]}, status=400)
            raise NulByteRefused(f"NUL byte in the request's {where}")
        return self.get_response(request)
