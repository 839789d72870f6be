"""What a browser would send back from a page: its hidden fields (a create form's one-time token, an edit form's
version), for tests that post through Django's test client."""

import re

HIDDEN = re.compile(r'<input type="hidden" name="(?P<name>[^"]+)" value="(?P<value>[^"]*)"[^>]*>')


def hidden_fields(client, url: str) -> dict[str, str]:
    """The hidden inputs of the page at `url` (GET), except the CSRF token (the test client needs none)."""
    page = client.get(url).content.decode()
    return {m["name"]: m["value"] for m in HIDDEN.finditer(page) if m["name"] != "csrfmiddlewaretoken"}


def post_form(client, url: str, data: dict, **kwargs):
    """Open the page, then post `data` with the page's hidden fields, as a browser submitting the form."""
    return client.post(url, {**hidden_fields(client, url), **data}, **kwargs)
