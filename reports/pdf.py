"""Render a Django template to PDF with WeasyPrint (the study report; reusable for any printable page).

The document fetches nothing from the network: `data:` URLs are read in place and the application's own static
files (`{% static %}` URLs) straight from the static-file finders or STATIC_ROOT; anything else is refused and
simply left out of the PDF. Text uses PDF_FONT_FAMILIES in order: fontconfig picks the first that is installed
for each character (Noto Sans CJK or WenQuanYi Micro Hei covers Chinese), so a missing font changes the look,
never whether the PDF is made.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static

# The CSS font-family list the PDF templates use (exposed to them as `pdf_font_families`).
PDF_FONT_FAMILIES = ('"Liberation Sans", "DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", '
                     '"Droid Sans Fallback", sans-serif')
BASE_URL = "https://pdf.invalid/"  # relative URLs resolve here, and only its static paths are served


def _static_file(url: str) -> Path | None:
    parts = urlsplit(url)
    prefix = urlsplit(static("")).path  # e.g. /static/
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix):])
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        if candidate.is_file():
            return candidate
    return None


def _url_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnly(URLFetcher):
        """data: URLs and the application's static files; nothing from the network or the file system at large."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_file(url)
            if path is None:
                raise ValueError(f"not fetched for a PDF: {url}")
            return URLFetcherResponse(url, body=path.read_bytes(),
                                      headers={"Content-Type": mimetypes.guess_type(path.name)[0] or ""})

    return LocalOnly(allowed_protocols=("data", "https"))


def render_pdf(*, template_name: str, context: dict, request=None) -> bytes:
    """The PDF of `template_name` rendered with `context` (and `request`, for context processors and i18n)."""
    from weasyprint import HTML

    html = render_to_string(template_name, {"pdf_font_families": PDF_FONT_FAMILIES, **context}, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=_url_fetcher()).write_pdf()
