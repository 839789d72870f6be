"""Shared pieces of the property-based tests: hostile values, the URL conf walked, the forms of a page.

Bounded for CI: FUZZ_EXAMPLES (environment, default below) examples per property, no deadline (a loaded
machine is slow, not wrong). Every request made is counted in FIGURES, written to test-artifacts/ at the end.
"""

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
FIGURES: Counter = Counter()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def write_figures() -> None:
    """The figures so far (inputs tried, outcomes, server errors) in test-artifacts/fuzz-figures.json; in a parallel
    run one file per worker (fuzz-figures-gw0.json, ...), each with the properties that worker ran."""
    ARTIFACTS.mkdir(exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = f"fuzz-figures-{worker}.json" if worker else "fuzz-figures.json"
    (ARTIFACTS / name).write_text(json.dumps({"examples per property": EXAMPLES, **dict(sorted(FIGURES.items()))},
                                             indent=1))


# ---------------------------------------------------------------- values

SPECIAL_TEXT = [
    "", " ", "0", "-1", "1", "9" * 30, "9" * 5001, "1e300", "-1e300", "1e-300", "NaN", "inf", "-Infinity", "0x10",
    "١٢", "½", "12,5", "4.2a", "0001-01-01", "9999-12-31", "1899-12-31", "2100-12-31", "2026-02-30", "31/12/2025",
    "\x00", "a\x00b", "\x1b[2J", "\u202e", "😀", "' OR 1=1 --", "<script>alert(1)</script>", "{{ 7*7 }}", "%s%n",
    "../../etc/passwd", "ITP-001", "ITP-\x00", "x" * 10_000, "True", "on", "None", "null", "[]", "{}",
]


# Tried on every parameter of every route and every field of every form, whatever is generated besides.
EXPLICIT = ["ITP-\x00-1", "9" * 5001, "0001-01-01", "9999-12-31", "1e300", "😀"]


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SPECIAL_TEXT),
        st.sampled_from(SPECIAL_TEXT),  # twice: weighted towards the known troublemakers
        st.text(max_size=40),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    )


# ---------------------------------------------------------------- the URL conf

@dataclass(frozen=True)
class Route:
    template: str  # "patients/<str:study_id>/visits/new/<slug:code>/"
    parameters: tuple[tuple[str, str], ...]  # (converter, name)

    def path(self, values: dict[str, str]) -> str:
        from urllib.parse import quote

        path = self.template
        for converter, name in self.parameters:
            path = path.replace(f"<{converter}:{name}>" if converter else f"<{name}>", quote(values[name], safe=""))
        return "/" + path


def routes() -> list[Route]:
    """Every route of the URL conf written with path() (regex routes are Django's own admin catch-alls)."""
    import re

    found: list[Route] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if not isinstance(entry.pattern, RoutePattern):
                continue
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                parameters = tuple((m[1] or "", m[2]) for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route))
                found.append(Route(route, parameters))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found), key=lambda r: r.template)


QUERY_NAMES = ["q", "status", "due", "page", "filter", "up_to", "next", "visit", "format"]


# ---------------------------------------------------------------- forms on a page

@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values offered (value= / options)


class _FormParser(HTMLParser):
    def __init__(self, url: str):
        super().__init__()
        self.url, self.forms, self.current, self.select = url, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = Form(action=attrs.get("action") or self.url)
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag in {"input", "textarea", "button"} and attrs.get("name"):
            self.current.fields.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.current.fields.setdefault(self.select, [])
        elif tag == "option" and self.select:
            self.current.fields[self.select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def post_forms(html: str, url: str) -> list[Form]:
    parser = _FormParser(url)
    parser.feed(html)
    return [form for form in parser.forms if form.action.startswith("/") or form.action.startswith(url)]


def form_data(form: Form) -> st.SearchStrategy[dict[str, str]]:
    """For each field: what the page offered (so the post gets past the token and version) or a hostile value."""
    def one(name: str, offered: list[str]) -> st.SearchStrategy[str]:
        if name == "csrfmiddlewaretoken":
            return st.just(offered[0])
        return st.one_of(st.sampled_from(offered), hostile_text()) if offered else hostile_text()

    return st.fixed_dictionaries({name: one(name, offered) for name, offered in form.fields.items()})
