"""/healthz: no login, no write, 200 when the database and the broker answer, 503 in time when the broker is
down (closed port) or hung (accepts, never answers)."""

import socket
import time

import pytest
from django.test import override_settings


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthy_without_login_in_one_read_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1; no session, no write
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response.json()["broker"] == "ok" and "Set-Cookie" not in response.headers
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_broker_down_is_503_at_once(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        started = time.monotonic()
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "ok"
    assert response.json()["broker"] == "ConnectionError" and time.monotonic() - started < 3


@pytest.mark.django_db
def test_broker_hung_is_503_within_the_timeout(client):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)  # the kernel accepts; nobody ever answers
        with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{server.getsockname()[1]}/0",
                               HEALTH_BROKER_TIMEOUT=0.5):
            started = time.monotonic()
            response = client.get("/healthz")
            seconds = time.monotonic() - started
    assert response.status_code == 503 and response.json()["broker"] == "TimeoutError"
    assert seconds < 3, seconds  # the broker gets 0.5 s


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client, nurse):
    client.force_login(nurse)
    for url in ("/login/", "/patients/", "/inbox/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "'unsafe-inline'" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


@pytest.mark.django_db
def test_the_orchestrator_probes_by_address_over_plain_http(client):
    with override_settings(ALLOWED_HOSTS=["trial.example.org"], SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
        assert client.get("/login/", HTTP_HOST="10.0.0.5:8000").status_code == 400  # everything else is checked
