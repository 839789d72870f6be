"""The inactivity timeout: on the server, measured from the last request, configurable; the status endpoint
does not extend it, "stay signed in" does."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(("minutes", "signed_in"), [(0, True), (29, True), (29.9, True), (30.1, False),
                                                    (60 * 24, False)])
def test_default_timeout_is_thirty_minutes(client, nurse, minutes, signed_in):
    sign_in(client, nurse)
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False):
        response = client.get("/patients/")
    assert (response.status_code == 200) is signed_in
    if not signed_in:
        assert response["Location"].startswith("/login/?next=/patients/")


def test_each_request_restarts_the_clock(client, nurse):
    sign_in(client, nurse)
    start = timezone.now()
    for step in range(1, 5):  # 4 x 20 minutes with a request in between: 80 minutes, never 30 idle
        with time_machine.travel(start + timedelta(minutes=20 * step), tick=False):
            assert client.get("/patients/").status_code == 200


def test_timeout_is_a_setting(client, nurse, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    sign_in(client, nurse)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert client.get("/patients/").status_code == 302


def test_status_does_not_extend_the_session_and_keepalive_does(client, nurse):
    sign_in(client, nurse)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        state = client.get("/session/status/").json()
        assert state == {"remaining": 600, "signed_in": True}
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/session/status/").json()["remaining"] == 60
        assert client.post("/session/keepalive/").json() == {"remaining": 1800, "signed_in": True}
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get("/patients/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=90), tick=False):
        response = client.get("/session/status/")
        assert response.status_code == 401
        assert response.json() == {"remaining": 0, "signed_in": False}


def test_pages_carry_the_seconds_left_for_the_warning(client, nurse):
    sign_in(client, nurse)
    page = client.get("/patients/").content.decode()
    assert 'data-idle-remaining="1800"' in page
    assert 'data-idle-warning="60"' in page
    assert 'src="/static/js/session-timeout.js"' in page


def test_session_cookie_is_not_a_fortnight(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
