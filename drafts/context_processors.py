from django.conf import settings


def restored_draft(request):
    draft = getattr(request, "restored_draft", None)
    return {"restored_draft": draft.data} if draft is not None else {}


def idle(request):
    """Seconds left before the inactivity timeout (drafts.idle), for static/js/session-timeout.js."""
    remaining = getattr(request, "idle_remaining", None)
    user = getattr(request, "user", None)
    if remaining is None or user is None or not user.is_authenticated:
        return {}
    return {"idle": {"remaining": max(0, round(remaining)), "warning": round(settings.SESSION_IDLE_WARNING)}}
