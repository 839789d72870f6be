"""Shared fixtures. Tests run on the real PostgreSQL and Redis named by itp_trial.settings.test."""

import os

import pytest

# live_server + Playwright's sync API run Django code inside an event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


# Parallel runs (`make test`: pytest-xdist, `--dist loadgroup`): tests that share something outside their own
# worker's database and broker keys run in one group, on one worker, one after the other. The production stack
# tests start gunicorn, Celery worker and beat on fixed Redis databases (STACK_REDIS_DB, STACK_FAULT_REDIS_DB,
# emptied by each test) and write their logs under fixed names in test-artifacts/stack/.
SERIAL_GROUPS = {"tests/stack/": "stack"}


# In a parallel run the longest tests start first, so that neither worker is left with one of them at the end
# while the other has nothing to do (each takes a minute or more on a 2-core machine). Serial runs keep the order.
LONG_FIRST = ("tests/robust/", "api/tests/test_schemathesis.py", "tests/test_devservers.py",
              "monitoring/tests/test_counts.py", "reports/tests/test_round_trip.py", "inbox/tests/test_celery.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        for prefix, group in SERIAL_GROUPS.items():
            if path.startswith(prefix):
                item.add_marker(pytest.mark.xdist_group(group))
    if hasattr(config, "workerinput"):  # an xdist worker: every worker sorts its collection the same way
        items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))


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
