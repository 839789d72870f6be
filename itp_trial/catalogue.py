"""The JavaScript translation catalogue (gettext and interpolate for static/js), kept by the browser.

Every page loads it. Served plainly, it was asked for again on every page and rebuilt from the compiled catalogues
each time: a second request per page. Its address now names the language and a digest of the compiled
catalogues (`catalogue_url`), so the browser keeps that address for a year (immutable), and the server builds each
language's catalogue once per process. A new release or a language switch gives a new address. An address with
another digest (a page from before a release) still gets the current catalogue, without the year of caching.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.i18n import JavaScriptCatalog

YEAR = 365 * 24 * 3600


@cache
def catalogue_digest() -> str:
    """A digest of the compiled JavaScript catalogues (their bytes): it changes when a translation does."""
    digest = hashlib.sha256()
    for folder in settings.LOCALE_PATHS:
        for compiled in sorted(Path(folder).glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(compiled.parent.parent.name.encode() + b"\0" + compiled.read_bytes())
    return digest.hexdigest()[:12]


def catalogue_url(language: str) -> str:
    return f"{reverse('javascript_catalog')}?{urlencode({'l': language, 'v': catalogue_digest()})}"


@cache
def _built(language: str) -> tuple[bytes, str]:
    """The catalogue of `language`, as JavaScriptCatalog writes it (once per process: the compiled catalogues do
    not change while it runs)."""
    with translation.override(language):
        response = JavaScriptCatalog.as_view()(_NoRequest())
    return response.content, response["Content-Type"]


class _NoRequest:
    """JavaScriptCatalog reads nothing from its request but the method (the language is the active one)."""

    method = "GET"
    GET: dict = {}


@login_not_required
def javascript_catalogue(request):
    """`?l=`: the language (else the request's own); `?v=`: the digest the page was written with."""
    languages = dict(settings.LANGUAGES)
    language = request.GET.get("l", "")
    language = language if language in languages else translation.get_language()
    content, content_type = _built(language)
    response = HttpResponse(content, content_type=content_type)
    if request.GET.get("v") == catalogue_digest() and request.GET.get("l") in languages:
        patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    else:
        response["Vary"] = "Accept-Language, Cookie"  # the language came from the request
    return response
