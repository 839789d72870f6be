"""No server error on any input: every route of the URL conf with generated parameters and query strings, and
every form of the site posted with generated data, as each role (and signed out).

The study is the demo document (every record type present). Pages are found by following the links of the
site itself from the patient list, so the forms are the ones a user meets, with their hidden token and version.
"""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import example, given
from hypothesis import strategies as st

from tests.robust.fuzzing import (
    EXPLICIT,
    FIGURES,
    FUZZ,
    QUERY_NAMES,
    Form,
    Route,
    form_data,
    hostile_text,
    post_forms,
    routes,
    write_figures,
)

pytestmark = pytest.mark.django_db(transaction=False)
ROLES = ("nurse", "physician", "monitor", "data_manager")
SKIP_LINKS = ("/static/", "/admin/", "/logout/", ".pdf", ".csv", ".zip", ".svg", ".json", "/exports/", "download")


@pytest.fixture
def study(users, tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    from tests.robust.documents import demo_document

    path = tmp_path / "demo.json"
    path.write_text(json.dumps(demo_document()))
    call_command("import_study", str(path), stdout=StringIO(), stderr=StringIO())
    clients = {"anonymous": Client()}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(users[role])
    return clients


def known_values() -> dict[str, list[str]]:
    """Parameter values that exist, so that generated requests also reach past the lookups: every `<int:...>`
    may be any existing study record's id (the ids of one table are often another's too)."""
    from django.apps import apps

    from patients.models import Patient
    from reports.datasets import DATASETS
    from visits.models import ScheduledVisit

    ids = set()
    for label in ("patients", "visits", "dosing", "safety", "casebook", "review", "inbox"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}:
                ids.update(model._base_manager.order_by("-pk").values_list("pk", flat=True)[:15])
    ids = sorted(str(pk) for pk in ids) or ["1"]
    return {"study_id": list(Patient.objects.values_list("study_id", flat=True)), "ids": ids,
            "code": sorted(set(ScheduledVisit.objects.values_list("code", flat=True))) + ["unscheduled"],
            "role": ["nurse", "physician", "monitor", "data-manager", "data_manager"],
            "name": sorted(DATASETS), "number": ["1", "2", "3"]}


def parameter_values(known: dict[str, list[str]], converter: str, name: str) -> st.SearchStrategy[str]:
    existing = known.get(name) or (known["ids"] if converter == "int" else None)
    return st.one_of(st.sampled_from(existing), hostile_text()) if existing else hostile_text()


def route_property(clients, route: Route, known: dict[str, list[str]]):
    """GET `route` with generated parameters and query string, as a generated role: never a server error."""
    values = st.fixed_dictionaries({name: parameter_values(known, converter, name)
                                    for converter, name in route.parameters})
    query = st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_text(), max_size=3)

    def check(values, query, role):
        FIGURES["url requests"] += 1
        response = clients[role].get(route.path(values), query)
        assert response.status_code < 500, (route.template, values, query, role)

    for text in EXPLICIT:  # every parameter and a query, each hostile value, as a nurse
        check = example(values={name: text for _, name in route.parameters}, query={"q": text}, role="nurse")(check)
    return FUZZ(given(values=values, query=query, role=st.sampled_from(["anonymous", *ROLES]))(check))


def test_every_route_with_generated_parameters_answers_without_a_server_error(study):
    known = known_values()
    all_routes = routes()
    FIGURES["routes"] = len(all_routes)
    for route in all_routes:
        route_property(study, route, known)()
    FIGURES["url server errors"] += 0
    write_figures()


def crawl(client: Client, start: str = "/patients/", per_name: int = 2, limit: int = 120) -> list[tuple[str, Form]]:
    """The post forms met by following links from `start`: at most `per_name` pages per URL name."""
    seen_names: dict[str, int] = {}
    queue, visited, found = deque([start]), set(), []
    while queue and len(visited) < limit:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        try:
            name = resolve(urlsplit(url).path).url_name or url
        except Resolver404:
            continue
        if seen_names.get(name, 0) >= per_name:
            continue
        seen_names[name] = seen_names.get(name, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        found += [(url, form) for form in post_forms(html, url)]
        import re

        for href in re.findall(r'href="(/[^"#]*)"', html):
            if not any(skip in href for skip in SKIP_LINKS) and href not in visited:
                queue.append(href.replace("&amp;", "&"))
    return found


def shape(form: Form) -> tuple:
    try:
        name = resolve(urlsplit(form.action).path).url_name
    except Resolver404:
        name = form.action
    return name, tuple(sorted(form.fields))


def form_property(clients, page: str, form: Form):
    """POST generated data to `form` (found on `page`) as a generated role: never a server error."""
    def check(data, role):
        FIGURES["form posts"] += 1
        response = clients[role].post(form.action, data)
        assert response.status_code < 500, (page, form.action, data, role)

    offered = {name: values[0] if values else "" for name, values in form.fields.items()}
    for text in EXPLICIT:  # the page's own values, with every visible field set to one hostile value
        typed = {name: value if name in {"csrfmiddlewaretoken", "token", "version"} else text
                 for name, value in offered.items()}
        check = example(data=typed, role="physician")(check)
    return FUZZ(given(data=form_data(form), role=st.sampled_from(ROLES))(check))


def test_every_form_posted_with_generated_data_answers_without_a_server_error(study):
    forms: dict[tuple, tuple[str, Form]] = {}
    for role in ("nurse", "physician", "data_manager"):
        for page, form in crawl(study[role]):
            forms.setdefault(shape(form), (page, form))
    FIGURES["forms"] = len(forms)
    assert len(forms) >= 10, sorted(forms)  # the crawl reached the entry forms
    for page, form in forms.values():
        form_property(study, page, form)()
    FIGURES["form server errors"] += 0
    write_figures()
