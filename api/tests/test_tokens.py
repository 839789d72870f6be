"""Personal tokens: shown once, stored hashed, expire, record their last use, revoked for good; audited."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import digest_of, token_create, token_revoke

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_a_digest_is_stored_and_the_token_works(nurse):
    new = token_create(user=nurse, name="R", days=30)
    stored = ApiToken.objects.get()
    assert new.secret not in {stored.digest, stored.prefix, stored.name}
    assert stored.digest == digest_of(new.secret) and new.secret.startswith(stored.prefix)
    assert bearer(new.secret).get("/api/v1/visits/").status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_revoked_token_is_refused(nurse):
    new = token_create(user=nurse, name="R", days=30)
    token_revoke(token=new.token, user=nurse)
    response = bearer(new.secret).get("/api/v1/visits/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_is_refused(nurse):
    new = token_create(user=nurse, name="R", days=30)
    with time_machine.travel(timezone.now() + timedelta(days=30, seconds=1)):
        assert bearer(new.secret).get("/api/v1/visits/").status_code == 401
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert bearer(new.secret).get("/api/v1/visits/").status_code == 200


def test_an_inactive_users_token_is_refused(nurse):
    new = token_create(user=nurse, name="R", days=30)
    nurse.is_active = False
    nurse.save()
    assert bearer(new.secret).get("/api/v1/visits/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer itp_wrong", "Bearer itp_a itp_b", "Bearer not-ours"])
def test_malformed_or_unknown_tokens_are_refused(client, header):
    assert client.get("/api/v1/visits/", HTTP_AUTHORIZATION=header).status_code == 401


def test_creation_and_revocation_are_audited(nurse):
    new = token_create(user=nurse, name="R", days=90)
    token_revoke(token=new.token, user=nurse)
    rows = list(new.token.history.order_by("history_date").values_list("history_user", "history_change_reason",
                                                                          "revoked_at"))
    assert [(user, reason) for user, reason, _ in rows] == [(nurse.pk, "token created"), (nurse.pk, "token revoked")]
    assert rows[0][2] is None and rows[1][2] is not None


def test_someone_elses_token_cannot_be_revoked(nurse, physician):
    new = token_create(user=nurse, name="R", days=30)
    with pytest.raises(ApiToken.DoesNotExist):
        token_revoke(token=new.token, user=physician)


@pytest.mark.parametrize("name, days, field", [("", 30, "name"), ("R", 7, "days")])
def test_a_token_needs_a_name_and_an_offered_lifetime(nurse, name, days, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        token_create(user=nurse, name=name, days=days)
    assert set(refused.value.message_dict) == {field}
    assert not ApiToken.objects.exists()


@override_settings(API_TOKEN_FAILURE_LIMIT=3, API_TOKEN_FAILURE_WINDOW=60)
def test_wrong_tokens_lock_the_address_out(nurse):
    cache.clear()
    good = token_create(user=nurse, name="R", days=30).secret
    for _ in range(3):
        assert bearer("itp_guess").get("/api/v1/visits/").status_code == 401
    assert bearer(good).get("/api/v1/visits/").status_code == 429
    cache.clear()
    assert bearer(good).get("/api/v1/visits/").status_code == 200


@override_settings(API_THROTTLE_RATES={"user": "3/minute", "anon": "30/minute"})
def test_requests_are_throttled_per_user(nurse, physician):
    cache.clear()
    api = bearer(token_create(user=nurse, name="R", days=30).secret)
    assert [api.get("/api/v1/visits/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert bearer(token_create(user=physician, name="R", days=30).secret).get("/api/v1/visits/").status_code == 200
    cache.clear()


def test_the_token_page_creates_shows_once_and_revokes(client, nurse):
    client.force_login(nurse)
    url = reverse("api:tokens")
    response = client.post(url, {"name": "R analysis", "days": "90"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    token = ApiToken.objects.get(user=nurse)
    secret = page.split('data-testid="token-secret">')[1].split("<")[0]
    assert digest_of(secret) == token.digest
    assert secret not in client.get(url).content.decode()  # shown once
    assert client.post(url, {"revoke": str(token.pk)}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_page_keeps_what_was_typed_on_a_problem(client, nurse):
    client.force_login(nurse)
    response = client.post(reverse("api:tokens"), {"name": "R analysis", "days": "7"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="R analysis"' in page and "days" in page
    assert not ApiToken.objects.exists()
