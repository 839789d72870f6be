"""A help page per role, reachable from the navigation bar, with the rules worded from the protocol in force."""

import pytest
from django.urls import reverse

from itp_trial.roles import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r.code for r in ROLES])
def test_help_opens_the_readers_own_role_from_the_navigation(client, users, role):
    client.force_login(users[role])
    page = client.get(reverse("patients:list")).content.decode()
    assert f'href="{reverse("help_home")}"' in page
    response = client.get(reverse("help_home"))
    assert response.templates[0].name == f"help/{role}.html"
    html = response.content.decode()
    assert "What counts as bleeding" in html and "Why a reason is asked" in html and "Visit windows" in html
    for other in ROLES:  # every role's page is one click away
        assert f'href="{reverse("help", args=[other.code])}"' in html


def test_the_rules_follow_the_protocol_in_force(client, nurse, settings):
    client.force_login(nurse)
    assert "CR if the count is &gt; 100" in client.get(reverse("help", args=["nurse"])).content.decode()
    settings.RESPONSE_CRITERIA = "iwg"
    assert "CR if the count is ≥ 100" in client.get(reverse("help", args=["nurse"])).content.decode()


def test_an_unknown_role_is_404_and_help_needs_a_login(client, nurse):
    assert client.get(reverse("help", args=["nurse"])).status_code == 302  # to the login page
    client.force_login(nurse)
    assert client.get(reverse("help", args=["admin"])).status_code == 404
