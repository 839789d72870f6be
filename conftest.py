"""Shared fixtures. Tests run on the real PostgreSQL and Redis named by itp_trial.settings.test."""

import os

import pytest

# live_server + Playwright's sync API run Django code inside an event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


# In a parallel run the longest tests start first, so that neither worker is left with one of them at the end
# while the other has nothing to do (each takes a minute or more on a 2-core machine). Serial runs keep the order.
LONG_FIRST = ("tests/stack/", "tests/robust/", "api/tests/test_schemathesis.py", "tests/test_devservers.py",
              "monitoring/tests/test_counts.py", "reports/tests/test_round_trip.py", "inbox/tests/test_celery.py")


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering (database tests first), which would undo it
def pytest_collection_modifyitems(config, items):
    if hasattr(config, "workerinput"):  # an xdist worker: every worker sorts its collection the same way
        items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the test settings' language: a request in Chinese leaves its language active in the
    thread (LocaleMiddleware activates it), and the next test must not inherit it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture
def users(db):
    from tests.factories import role_users

    return role_users()


@pytest.fixture
def nurse(users):
    return users["nurse"]


@pytest.fixture
def physician(users):
    return users["physician"]


@pytest.fixture
def monitor(users):
    return users["monitor"]


@pytest.fixture
def data_manager(users):
    return users["data_manager"]
