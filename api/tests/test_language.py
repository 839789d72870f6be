"""The API's JSON is a machine interface: its messages are English whatever language the client or the site asks
for; the documentation and token pages follow the reader's language."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture(autouse=True)
def site_language_after():
    """A request in Chinese leaves its language active in this thread: give the next test the site's again."""
    yield
    translation.deactivate()


@pytest.mark.parametrize("headers", [{}, CHINESE], ids=["no-language", "zh-hans"])
def test_a_refused_token_is_explained_in_english(headers):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    with override_settings(LANGUAGE_CODE="zh-hans"):  # the site's own default
        response = client.get("/api/v1/visits/", **headers)
    assert response.status_code == 401 and response.json() == {"detail": "Invalid, expired or revoked token."}


def test_a_missing_etag_is_explained_in_english(api_as, study):
    response = api_as("nurse").put(f"/api/v1/visits/{study['visit'].pk}/", {"values": {"platelets": "41"}},
                                     format="json", **CHINESE)
    assert response.status_code == 428 and response.json()["detail"].startswith("Send the version you read")


def test_the_documentation_and_token_pages_follow_the_reader(client, nurse):
    client.force_login(nurse)
    assert "REST API 文档" in client.get(reverse("api:docs"), **CHINESE).content.decode()
    assert "创建令牌" in client.get(reverse("api:tokens"), **CHINESE).content.decode()
    assert "创建令牌" not in client.get(reverse("api:tokens")).content.decode()
