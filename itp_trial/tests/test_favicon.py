"""The favicon: linked from every page, served as a static file, and /favicon.ico never 404s."""

import pytest
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_favicon_is_linked_and_served(client, nurse):
    # Before: /favicon.ico answered 404 (and, logged out, a redirect to the login page).
    icon = static("favicon.svg")
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, icon)
    served = client.get(icon)
    assert served.status_code == 200 and b"<svg" in b"".join(served.streaming_content)
    client.force_login(nurse)
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in client.get("/patients/").content.decode()
