"""Every page needs login; each role gets 403 where its role does not reach."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dosing.tests.factories import dosing_records
from tests.factories import enrol, record, sign_visit

ALL = {"nurse", "physician", "monitor", "data_manager"}
WRITERS = {"nurse", "physician"}
# Every named page of the project and the roles that may open it; a new URL must be added here.
ACCESS = {
    "patients:list": ALL,
    "patients:enrol": WRITERS,
    "patients:detail": ALL,
    "patients:edit": WRITERS,
    "patients:history": ALL,
    "visits:create": WRITERS,
    "visits:rescue": WRITERS,
    "visits:edit": WRITERS,
    "visits:history": ALL,
    "reports:response": {"physician", "monitor", "data_manager"},
    "reports:figure": {"physician", "monitor", "data_manager"},
    "reports:report_pdf": {"physician", "monitor", "data_manager"},
    "reports:report_json": {"physician", "monitor", "data_manager"},
    "reports:exports": {"data_manager"},
    "reports:export": {"data_manager"},
    "reports:codebook": {"data_manager"},
    "reports:export_zip": {"data_manager"},
    "reports:export_study": {"data_manager"},
    "reports:study_dashboard": {"physician", "monitor", "data_manager"},
    "reports:study_summary": {"physician", "monitor", "data_manager"},
    "reports:patient_dashboard": ALL,
    "reports:casebook_pdf": {"physician", "monitor", "data_manager"},
    "help_home": ALL,
    "help": ALL,
    "review:sign_visit": {"physician"},
    "review:sign_casebook": {"physician"},
    "review:unlock": {"data_manager"},
    "safety:study": ALL,
    "inbox:inbox": ALL,
    "safety:controls": ALL,
    "safety:control_create": WRITERS,
    "safety:lab_create": WRITERS,
    "safety:ae_create": WRITERS,
    "safety:ae_edit": WRITERS,
    "safety:lab_value_edit": WRITERS,
    "safety:treg_create": WRITERS,
    "safety:proposal": {"physician"},
    "patients:off_study": {"physician"},
    "dosing:monitoring": {"physician", "monitor", "data_manager"},
    "dosing:dose_create": WRITERS,
    "dosing:dose_edit": WRITERS,
    "dosing:dose_history": ALL,
    "dosing:stop": WRITERS,
    "dosing:trough_create": WRITERS,
    "dosing:trough_edit": WRITERS,
    "dosing:trough_history": ALL,
    "dosing:trough_accept": {"physician"},
    "dosing:trough_dismiss": {"physician"},
    "dosing:con_med_create": WRITERS,
    "dosing:con_med_edit": WRITERS,
    "dosing:con_med_history": ALL,
    "accounts:list": {"data_manager"},
    "accounts:create": {"data_manager"},
    "accounts:detail": {"data_manager"},
    "accounts:edit": {"data_manager"},
    "accounts:role": {"data_manager"},
    "accounts:password_link": {"data_manager"},
    "accounts:link_shown": {"data_manager"},
    "accounts:requests": {"data_manager"},
    "accounts:decide": {"data_manager"},
    "accounts:sign_ins": {"data_manager"},
    "accounts:changes": {"data_manager"},
    "casebook:history": ALL,
    "casebook:patient_history": ALL,
    "session_status": ALL,  # the inactivity timeout's seconds left (drafts.idle)
    "session_keepalive": ALL,
    "monitoring:queries": ALL,
    "monitoring:query": ALL,
    "monitoring:record": ALL,
    "monitoring:changed": ALL,
    "api:tokens": ALL,
    "api:docs": ALL,
}
# Former addresses that now send to another page (the roles are those of the page they lead to).
REDIRECTS = {"patients:history", "visits:history", "dosing:dose_history", "dosing:trough_history",
             "dosing:con_med_history"}
# The favicon redirect holds no study data; a password link's page needs no sign-in (it is the way to one); the
# language switch and the JavaScript catalogue serve the login page too (they hold no study data).
PUBLIC = {"login", "logout", "favicon", "accounts:set_password", "set_language", "javascript_catalog"}


def walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and not is_api(entry):
            yield f"{namespace}{entry.name}", entry


def is_api(pattern: URLPattern) -> bool:
    """A REST endpoint (answers 401 in JSON, not a login redirect): walked by the API tests below."""
    return hasattr(pattern.callback, "cls")


@pytest.fixture
def scenario(users):
    start = date.today() - timedelta(days=10)
    patient = enrol(users["nurse"], start=start, today=date.today())
    visit = record(patient, users["nurse"], "week1", day=7, platelets=40, today=date.today())
    baseline = patient.visits.get(slot__code="baseline")  # signed, so week1 (pk) stays editable
    signature = sign_visit(baseline, users["physician"])
    from accounts.services import role_request_create
    from monitoring.services import query_raise
    from safety.tests.builders import safety_records

    role_request = role_request_create(account=users["nurse"], role="physician", by=users["data_manager"],
                                       reason="covers the ward round")
    query = query_raise(record_type="visit", record_id=visit.pk, field="platelets", text="?", user=users["monitor"])
    return {"study_id": patient.study_id, "code": "week2", "pk": visit.pk, "name": "visits", "number": 1,
            "role": "nurse", "account_pk": users["nurse"].pk, "request_pk": role_request.pk, "key": "visit",
            "query_pk": query.pk,
            "signature_pk": signature.pk, **safety_records(patient, users["nurse"], today=date.today()),
            **dosing_records(patient, users["nurse"], today=date.today())}


def url_for(name, pattern, scenario):
    kwargs = {key: scenario[key] for key in pattern.pattern.regex.groupindex}
    return reverse(name, kwargs=kwargs)


def all_pages():
    return [(name, pattern) for name, pattern in walk(get_resolver().url_patterns) if name not in PUBLIC]


def test_every_page_is_classified():
    assert {name for name, _ in all_pages()} == set(ACCESS)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client, scenario):
    for name, pattern in all_pages():
        url = url_for(name, pattern, scenario)
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login") + "?next="), name


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALL))
def test_each_role_reaches_its_pages_and_gets_403_elsewhere(client, users, scenario, role):
    client.force_login(users[role])
    for name, pattern in all_pages():
        url = url_for(name, pattern, scenario)
        expected = 200 if role in ACCESS[name] else 403
        assert client.get(url, follow=name in REDIRECTS).status_code == expected, f"{role} GET {name}"
        if expected == 403 and hasattr(pattern.callback, "view_class") and hasattr(pattern.callback.view_class,
                                                                                    "post"):
            assert client.post(url, {}).status_code == 403, f"{role} POST {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("role, allowed", [("nurse", False), ("physician", False), ("monitor", False),
                                           ("data_manager", True)])
def test_admin_is_for_data_managers_only(client, users, role, allowed):
    client.force_login(users[role])
    response = client.get("/admin/")
    if allowed:
        assert response.status_code == 200
        assert client.get("/admin/auth/user/").status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_monitor_pages_offer_no_edit_links(client, users, scenario):
    client.force_login(users["monitor"])
    page = client.get(reverse("patients:detail", kwargs={"study_id": scenario["study_id"]})).content.decode()
    assert "/edit/" not in page and "/visits/new/" not in page and "/rescue/new/" not in page
    client.force_login(users["nurse"])
    page = client.get(reverse("patients:detail", kwargs={"study_id": scenario["study_id"]})).content.decode()
    assert "/edit/" in page and "/visits/new/" in page


@pytest.mark.django_db
def test_data_manager_reads_accounts_in_the_admin_but_changes_them_only_on_the_account_pages(client, users):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root", password="x-long-password")
    client.force_login(users["data_manager"])
    nurse = users["nurse"]
    page = client.get(f"/admin/auth/user/{nurse.pk}/change/").content.decode()
    assert nurse.username in page
    assert 'name="groups"' not in page and 'name="is_superuser"' not in page and 'name="password"' not in page
    assert client.get(f"/admin/auth/user/{superuser.pk}/change/").status_code == 302  # not listed: redirected away
    response = client.post(f"/admin/auth/user/{nurse.pk}/change/", {
        "username": nurse.username, "first_name": nurse.first_name, "last_name": "Renamed", "email": "",
        "is_active": "on", "groups": [g.pk for g in Group.objects.all()], "is_superuser": "on",
    })
    assert response.status_code == 403
    assert client.get(f"/admin/auth/user/{nurse.pk}/password/").status_code == 403  # nobody sets another's password
    assert client.get("/admin/auth/user/add/").status_code == 403
    nurse.refresh_from_db()
    assert (nurse.last_name, nurse.is_superuser, [g.name for g in nurse.groups.all()]) == (
        users["nurse"].last_name, False, ["nurse"])


# ---------------------------------------------------------------------- the REST API: every endpoint and method

REPORTERS = {"physician", "monitor", "data_manager"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Who may read and write through the API, as in the web app: everyone reads, nurses and physicians write; only a
# physician takes a patient off study; the study report is for those who read reports on the web.
API_READ = {"api:study_report": REPORTERS, "api:study_export": {"data_manager"}}
API_WRITE = {"api:withdrawal-list": {"physician"}}


def api_routes():
    """(name, pattern, methods it answers) for every API endpoint."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name and is_api(pattern):
                    actions = getattr(pattern.callback, "actions", None)
                    methods = {method.upper() for method in actions} if actions else {"GET"}
                    yield f"api:{pattern.name}", pattern, methods


def api_url(name, pattern, existing):
    kwargs = {}
    if "pk" in pattern.pattern.regex.groupindex:
        kwargs["pk"] = existing.get(name.split(":")[1].rsplit("-", 1)[0], 0)
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def existing(scenario):
    """The first record of each declared type (0: none yet, the endpoint answers 404)."""
    from casebook.registry import record_types

    return {t.key: t.model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 0
            for t in record_types()}


def test_every_api_endpoint_is_walked():
    names = {name for name, _, _ in api_routes()}
    assert {"api:schema", "api:study_report", "api:visit-list", "api:visit-detail", "api:visit-history"} <= names
    assert set(API_READ) | set(API_WRITE) <= names


@pytest.mark.django_db
def test_anonymous_api_callers_get_401_everywhere(client, existing):
    for name, pattern, _ in api_routes():
        url = api_url(name, pattern, existing)
        for method in METHODS:
            response = client.generic(method, url)
            assert response.status_code == 401, f"anonymous {method} {name}"
            assert "json" in response["Content-Type"], name


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALL))
def test_each_role_reaches_the_api_as_on_the_web(client, users, existing, role):
    from rest_framework.test import APIClient

    from api.tokens import token_create

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=users[role], name='walk', days=30).secret}")
    for name, pattern, methods in api_routes():
        url = api_url(name, pattern, existing)
        readers = API_READ.get(name, ALL)
        for method in METHODS:
            status = api.generic(method, url, "{}", content_type="application/json").status_code
            where = f"{role} {method} {name}"
            if role not in readers:
                assert status == 403, where
            elif method not in methods:
                assert status == 405, where
            elif method == "GET":
                missing = "pk" in pattern.pattern.regex.groupindex and not existing[name[4:].rsplit("-", 1)[0]]
                assert status == (404 if missing else 200), where
            elif role in API_WRITE.get(name, WRITERS):
                assert status in {400, 404, 428}, where  # let through, then refused for the empty body
            else:
                assert status == 403, where
