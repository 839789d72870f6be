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
