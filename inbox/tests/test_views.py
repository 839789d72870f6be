"""The inbox page: any posted reminder id that is not one (text, NUL byte, huge number) is a 404, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["abc", "", "٣", "9" * 40, "-1", "1.5"])  # a NUL byte: 400 (itp_trial.hostile)
def test_a_bad_reminder_id_is_not_found(client, nurse, value):
    client.force_login(nurse)
    assert client.post(reverse("inbox:inbox"), {"reminder": value}).status_code == 404


def test_the_old_address_leads_to_the_inbox(client, nurse):
    client.force_login(nurse)
    response = client.get("/safety/inbox/")
    assert response.status_code == 301 and response["Location"] == reverse("inbox:inbox")
