"""Query and SDV counts on the patient list, the study grid and the inbox cost a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import Query
from monitoring.services import query_raise, record_verify
from reports.tests.bulk import bulk_patients
from visits.models import Visit

pytestmark = pytest.mark.django_db
START = date(2025, 5, 1)


def with_monitoring(patients, monitor):
    """A query on every patient's week-2 visit and a verification of every week-1 visit."""
    visits = {(v.patient_id, v.slot.code): v for v in Visit.objects.filter(patient__in=patients).select_related("slot")}
    for patient in patients:
        query_raise(record_type="visit", record_id=visits[(patient.pk, "week2")].pk, field="platelets", text="?",
                    user=monitor)
        week1 = visits[(patient.pk, "week1")]
        record_verify(record_type="visit", record_id=week1.pk, user=monitor, version=week1.version)


def count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("role, path", [
    ("monitor", "/patients/"), ("monitor", "/reports/dashboard/"), ("nurse", "/inbox/"), ("monitor", "/inbox/"),
    ("monitor", "/monitoring/queries/"),
], ids=["patient-list", "study-grid", "inbox-nurse", "inbox-monitor", "queries"])
def test_counts_cost_the_same_at_10_and_60_patients(client, users, role, path):
    monitor = users["monitor"]
    with_monitoring(bulk_patients(10, user=users["physician"], start=START), monitor)
    client.force_login(users[role])
    client.get(path)  # warm per-process caches (content types, permissions)
    at_10, page = count(client, path)
    assert "?" in page or "queries" in page.lower()
    # 50 more patients: a query per patient (or per row) would add at least 50 statements
    with_monitoring(bulk_patients(50, user=users["physician"], start=START, first_number=11), monitor)
    # The session's idle clock is written at most every 30 s (drafts.idle): when making 50 patients takes longer
    # (a loaded machine, a parallel run), that write lands on the next request: let it land before the count.
    client.get(path)
    at_60, page = count(client, path)
    assert Query.objects.count() == 60
    assert at_60 == at_10


def test_grid_shows_the_counts(client, users):
    patients = bulk_patients(3, user=users["physician"], start=START)
    with_monitoring(patients, users["monitor"])
    client.force_login(users["monitor"])
    _, page = count(client, "/reports/dashboard/")
    assert page.count('data-testid="cell-queries"') == 3
    assert page.count('data-state="verified"') == 3
    assert 'data-testid="study-open-queries">3<' in page
