"""Each user's language: chosen once (Preference), else the site's (settings.LANGUAGE_CODE).

Pages follow the request (LocaleMiddleware); what is read or sent outside a request, such as a reminder e-mail,
is rendered in its recipient's language with `translation.override(language_of(user))`.
"""

from collections.abc import Iterable

from django.conf import settings

from .models import Preference


def preferred_language(user) -> str:
    """The language the user chose ("" when they have not: pages then follow the cookie or the browser)."""
    return Preference.objects.filter(user=user).values_list("language", flat=True).first() or ""


def language_of(user) -> str:
    return preferred_language(user) or settings.LANGUAGE_CODE


def languages_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's language in one query (users without a preference get the site's)."""
    user_ids = list(user_ids)
    chosen = dict(Preference.objects.filter(user_id__in=user_ids).exclude(language="")
                  .values_list("user_id", "language"))
    return {user_id: chosen.get(user_id, settings.LANGUAGE_CODE) for user_id in user_ids}
