"""Sign a user out after settings.SESSION_IDLE_TIMEOUT seconds without a request, on the server.

Every page carries the seconds left (base.html, data-idle-*); static/js/session-timeout.js warns
SESSION_IDLE_WARNING seconds before the end and offers to stay signed in (session_keepalive). A form posted after
the end is not lost: what was typed is kept as a draft for that user and page (drafts.services), the user signs
in again and lands back on the form, filled in. The check runs after the CSRF check, so only a genuine post is kept.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .services import PENDING, draft_keep

LAST_ACTIVITY = "idle.last_activity"  # session key: epoch seconds of the last request that counted


def _now() -> float:
    return timezone.now().timestamp()


def last_activity(request) -> float:
    """When the user last did something; a session that has not recorded it yet counts from the sign-in."""
    value = request.session.get(LAST_ACTIVITY)
    if isinstance(value, int | float):
        return float(value)
    last_login = request.user.last_login
    return last_login.timestamp() if last_login else _now()


def idle_remaining(request) -> float:
    return settings.SESSION_IDLE_TIMEOUT - (_now() - last_activity(request))


def _touch_every() -> float:
    """The session is written at most this often (not on every request): 1/60 of the timeout, at most 30 s."""
    return min(30.0, settings.SESSION_IDLE_TIMEOUT / 60)


class IdleSessionMiddleware:
    """Between CsrfViewMiddleware/AuthenticationMiddleware and LoginRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        remaining = idle_remaining(request)
        if remaining <= 0:
            return self.expire(request, json=getattr(view_func, "idle_endpoint", False))
        counts = not getattr(view_func, "idle_status", False)  # asking how long is left is not activity
        if counts and settings.SESSION_IDLE_TIMEOUT - remaining >= _touch_every():
            request.session[LAST_ACTIVITY] = _now()
            remaining = settings.SESSION_IDLE_TIMEOUT
        request.idle_remaining = remaining
        return None

    def expire(self, request, *, json: bool):
        user, path = request.user, request.get_full_path()
        kept = None
        if request.method == "POST" and not json and path not in _auth_paths():
            kept = draft_keep(user=user, path=path, post=request.POST)
        logout(request)
        minutes = round(settings.SESSION_IDLE_TIMEOUT / 60)
        if json:
            return JsonResponse({"remaining": 0, "signed_in": False}, status=401)
        if kept is not None:
            request.session[PENDING] = True
            messages.warning(request, _(
                "You were signed out after %(minutes)s minutes without activity. What you typed was kept and "
                "nothing was saved yet: sign in again to go back to the form, check it and save.")
                % {"minutes": minutes})
        else:
            messages.info(request, _("You were signed out after %(minutes)s minutes without activity.")
                          % {"minutes": minutes})
        return redirect_to_login(path if request.method in ("GET", "POST") and path not in _auth_paths() else "/")


def _auth_paths() -> set[str]:
    return {reverse("login"), reverse("logout"), reverse("session_keepalive"), reverse("session_status")}


def _state(request, status: int = 200) -> JsonResponse:
    remaining = max(0.0, getattr(request, "idle_remaining", idle_remaining(request)))
    return JsonResponse({"remaining": round(remaining), "signed_in": True}, status=status)


@never_cache
@require_GET
def session_status(request):
    """Seconds left before the session ends (another tab may have kept it alive); does not extend it."""
    return _state(request)


session_status.idle_status = True
session_status.idle_endpoint = True


@never_cache
@require_http_methods(["GET", "POST"])
def session_keepalive(request):
    """"Stay signed in": counts as activity (as any page opened does, so a GET may ask it too)."""
    request.session[LAST_ACTIVITY] = _now()
    request.idle_remaining = settings.SESSION_IDLE_TIMEOUT
    return _state(request)


session_keepalive.idle_endpoint = True
