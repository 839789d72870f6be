"""The REST API answers in English whatever the site's or the browser's language.

Its JSON (field names, codes and the messages of refusals: {"field": [...]}, {"detail": ...}) is a machine
interface: scripts compare and log those messages, so they must not change with the Accept-Language a client
happens to send, nor with the site's language (简体中文 by default). People read the API through its
documentation and token pages, which follow the reader's language like every other page.
"""

from functools import wraps

from django.utils import translation

LANGUAGE = "en"


def in_english(view):
    """`view` run with English active: every message it raises or returns is English."""
    @wraps(view)
    def english_view(request, *args, **kwargs):
        with translation.override(LANGUAGE):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response

    return english_view
