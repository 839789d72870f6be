"""Hostile input gets the app's own 4xx page, never a server error; a refused form (CSRF) gets a way back."""

from datetime import date

import pytest
from django.test import Client

from tests.factories import PASSWORD, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, nurse):
    client.force_login(nurse)
    enrol(nurse, start=date(2025, 3, 3), today=date(2025, 3, 3))
    return client


@pytest.mark.parametrize("path", [
    "/patients/ITP%00-1/", "/patients/ITP-001%00/edit/", "/patients/%00/visits/new/week2/",
    "/patients/?q=%00", "/patients/ITP-001/?tab=a%00b", "/inbox/?%00=1", "/reports/patients/ITP%00/",
    "/help/%00/",
], ids=lambda p: p)
def test_nul_byte_in_the_address_is_a_bad_request(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 400
    assert 'data-testid="bad-request"' in response.content.decode()


@pytest.mark.parametrize("data", [{"reminder": "1\x00"}, {"reminder\x00": "1"}, {"reminder": "\x00"}],
                         ids=["value", "name", "only"])
def test_nul_byte_in_a_form_is_a_bad_request(signed_in, data):
    assert signed_in.post("/inbox/", data).status_code == 400


def test_nul_byte_in_a_cookie_is_a_bad_request(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/login/").status_code == 400


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "9" * 30, "", " 1", "١"], ids=repr)
def test_inbox_refuses_a_reminder_that_is_not_an_id(signed_in, value):
    assert signed_in.post("/inbox/", {"reminder": value}).status_code == 404


def test_unknown_page_is_the_apps_not_found_page(signed_in):
    response = signed_in.get("/patients/ITP-999/")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


def test_csrf_failure_is_the_apps_page_with_a_way_back(nurse):
    browser = Client(enforce_csrf_checks=True)
    browser.post("/login/", {"username": nurse.username, "password": PASSWORD})  # no CSRF cookie: refused
    response = browser.post("/login/", {"username": nurse.username, "password": PASSWORD},
                            HTTP_REFERER="http://testserver/login/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="csrf-failure"' in page
    assert "Nothing was saved" in page
    assert 'href="http://testserver/login/"' in page  # the form again
    assert "CSRF verification failed" not in page


def test_csrf_page_does_not_link_to_another_site(nurse):
    response = Client(enforce_csrf_checks=True).post("/login/", {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_sent_to_the_api_is_refused_in_json(client, users):
    client.force_login(users["nurse"])
    response = client.get("/api/v1/visits/", {"patient": "ITP\x00-1"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "NUL byte" in response.json()["non_field_errors"][0]
