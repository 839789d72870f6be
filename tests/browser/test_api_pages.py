"""The API's pages: a user creates a personal token (shown once), uses it, revokes it; the documentation page
renders the live schema; a visit pushed with a token shows the same response category on the patient page."""

import json
import re
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import enrol

pytestmark = pytest.mark.browser


def call(url: str, secret: str, body: dict | None = None) -> tuple[int, dict]:
    """A script's request with a personal token (outside the browser: no session cookie)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


def test_token_page_creates_a_token_shown_once_and_revokes_it(login, site, shoot):
    page = login("monitor")
    page.get_by_test_id("api-link").click()
    page.get_by_label("Name").fill("R analysis")
    page.get_by_label("Valid for").select_option("30")
    page.get_by_test_id("create-token").click()
    secret = page.get_by_test_id("token-secret").inner_text().strip()
    assert secret.startswith("itp_")
    row = page.get_by_test_id("token-row").filter(has_text="R analysis")
    expect(row.get_by_test_id("token-status")).to_have_text("active")
    shoot("api-token-created")

    api = f"{site['url']}/api/v1/visits/"
    assert call(api, secret)[0] == 200
    page.reload()
    expect(page.get_by_test_id("token-secret")).to_have_count(0)  # shown once
    expect(page.get_by_test_id("tokens")).not_to_contain_text(secret)
    expect(row).not_to_contain_text("—")  # the last use is shown

    row.get_by_test_id("revoke").click()
    expect(row.get_by_test_id("token-status")).to_contain_text("revoked")
    expect(row.get_by_test_id("revoke")).to_have_count(0)
    assert call(api, secret)[0] == 401
    shoot("api-token-revoked")


def test_token_page_keeps_the_name_when_the_form_is_refused(login, site):
    page = login("nurse")
    page.goto(f"{site['url']}/api/tokens/")
    page.get_by_test_id("create-token").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_test_id("token-secret")).to_have_count(0)


def test_docs_page_renders_the_schema(login, site, shoot):
    page = login("physician")
    page.goto(f"{site['url']}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ITP sirolimus trial API")
    expect(page.locator(".opblock-tag").filter(has_text="Visits")).to_be_visible()
    expect(page.locator(".opblock-summary-path").filter(has_text="/api/v1/visits/").first).to_be_visible()
    shoot("api-docs")
    # Try it out, with the session: the served schema's own GET of visits answers from the app.
    operation = page.locator(".opblock-get").filter(has=page.locator(".opblock-summary-path",
                                                                      has_text=re.compile(r"^/api/v1/visits/$")))
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")


def test_a_visit_pushed_through_the_api_shows_the_same_category_on_the_patient_page(login, site):
    today = timezone.localdate()
    patient = enrol(site["users"]["nurse"], start=today - timedelta(days=16), today=today)
    page = login("nurse")
    page.goto(f"{site['url']}/api/tokens/")
    page.get_by_label("Name").fill("ward system")
    page.get_by_test_id("create-token").click()
    secret = page.get_by_test_id("token-secret").inner_text().strip()
    categories = {}
    for code, day, platelets in (("week1", 7, "120"), ("week2", 14, "20")):
        body = {"patient": patient.study_id, "code": code,
                "values": {"visit_date": (patient.start_date + timedelta(days=day)).isoformat(),
                           "platelets": platelets, "bleeding_grade": 0}}
        status, saved = call(f"{site['url']}/api/v1/visits/", secret, body)
        assert status == 201, saved
        categories[code] = saved["category"]
    assert set(categories.values()) == {"CR", "NR"}
    page.goto(f"{site['url']}/patients/{patient.study_id}/")
    for code, category in categories.items():
        expect(page.get_by_test_id("visits").locator(f"tr[data-code={code}]").get_by_test_id("category")) \
            .to_have_text(category)
