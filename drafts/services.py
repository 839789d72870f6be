"""Keep, read and discard the form a user was typing when their session ended."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from .models import Draft

NOT_KEPT = ("csrfmiddlewaretoken",)  # a new page brings its own
MAX_VALUE = 10_000  # characters; a longer value is not something a person typed into a form


def _kept(name: str) -> bool:
    # A password (the signature prompt, a password change) is never written down.
    return name not in NOT_KEPT and "password" not in name.lower()


def draft_fields(post: QueryDict) -> dict[str, list[str]]:
    """The posted fields worth keeping, as lists of values (a multiple choice posts several)."""
    return {name: values for name in post if _kept(name)
            and (values := [v for v in post.getlist(name) if len(v) <= MAX_VALUE and "\x00" not in v])}


def drafts_purge() -> int:
    """Delete every draft older than DRAFT_MAX_AGE seconds; how many went."""
    cutoff = timezone.now() - timedelta(seconds=settings.DRAFT_MAX_AGE)
    deleted, _ = Draft.objects.filter(saved_at__lt=cutoff).delete()
    return deleted


def draft_keep(*, user, path: str, post: QueryDict) -> Draft | None:
    """Keep what `user` posted to the form at `path` (replacing an older draft of the same form)."""
    fields = draft_fields(post)
    if not fields or len(path) > Draft._meta.get_field("path").max_length:
        return None
    with transaction.atomic():
        drafts_purge()
        draft, _ = Draft.objects.update_or_create(user=user, path=path,
                                                  defaults={"data": fields, "saved_at": timezone.now()})
    return draft


def draft_for(*, user, path: str) -> Draft | None:
    """The draft of the form at `path`, unless it has expired."""
    cutoff = timezone.now() - timedelta(seconds=settings.DRAFT_MAX_AGE)
    return Draft.objects.filter(user=user, path=path, saved_at__gte=cutoff).first()


def draft_discard(*, draft: Draft) -> None:
    """Used: the form has been shown filled in again."""
    Draft.objects.filter(pk=draft.pk).delete()


# The session of a user who has a draft waiting carries this flag (it survives signing in again), so pages are
# only looked up for a draft when there may be one.
PENDING = "drafts.pending"
