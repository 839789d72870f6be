import sys
from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from api.tokens import token_create
from tests.factories import enrol, record


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='tests', days=30).secret}")
    return client


@pytest.fixture
def api_as(users):
    """api_as("nurse"): a client sending that role's personal token."""
    return lambda role: token_client(users[role])


@pytest.fixture
def study(users):
    """One patient enrolled ten days ago with a week-1 visit."""
    today = date.today()
    patient = enrol(users["nurse"], start=today - timedelta(days=10), today=today)
    visit = record(patient, users["nurse"], "week1", day=7, platelets=40, today=today)
    return {"patient": patient, "visit": visit, "today": today}


@pytest.fixture
def full_study(users, study):
    """The study with a record of most types: safety labs, an adverse event and its proposal, a control, doses,
    a trough, a con-med, a signed baseline visit."""
    from dosing.tests.factories import dosing_records
    from safety.tests.builders import safety_records
    from tests.factories import sign_visit

    nurse, today = users["nurse"], study["today"]
    safety_records(study["patient"], nurse, today=today)
    dosing_records(study["patient"], nurse, today=today)
    sign_visit(study["patient"].visits.get(slot__code="baseline"), users["physician"])
    return study


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """The schema test's figures travel with its report, so that a parallel run (pytest-xdist) prints them too."""
    outcome = yield
    module = sys.modules.get("api.tests.test_schemathesis")
    if call.when == "call" and module and getattr(item, "module", None) is module:
        outcome.get_result().user_properties.append(("schemathesis", module.figures_lines()))


def pytest_terminal_summary(terminalreporter):
    """The schema test's figures (operations, examples, failures per role), when it ran."""
    lines = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", []):
                if name == "schemathesis":
                    lines.update(dict.fromkeys(value))
    for line in lines:
        terminalreporter.write_line(line)
