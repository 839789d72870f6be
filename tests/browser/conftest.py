from pathlib import Path

import pytest
from django.urls import get_resolver

from tests.factories import PASSWORD, role_users

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with one user per role (transactional: the browser sees committed data)."""
    # Import the URL conf and every view here, not in the live server's first request: on a loaded machine (a
    # parallel run) that import alone has outlasted the browser's 30 s navigation timeout.
    get_resolver().url_patterns  # noqa: B018
    users = role_users()
    return {"url": live_server.url, "users": users}


@pytest.fixture
def login(page, site):
    def _login(role: str):
        page.goto(f"{site['url']}/login/")
        page.get_by_label("Username").fill(site["users"][role].username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{site['url']}/patients/")
        return page

    return _login


@pytest.fixture
def shoot(page):
    """Screenshots at desktop and tablet width, kept under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _shoot(name: str):
        for width in (1280, 768):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

    return _shoot


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser test fails on a Content-Security-Policy violation (an inline script, handler or style)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    yield
    assert violations == [], violations
