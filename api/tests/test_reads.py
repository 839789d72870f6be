"""Reads: every declared type from one place, filters for incremental pulls, stable cursor pages, history."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone

from api.catalogue import ENDPOINTS
from casebook.registry import record_types
from tests.factories import enrol, record

pytestmark = pytest.mark.django_db


def test_every_declared_type_has_its_endpoints():
    assert [endpoint.key for endpoint in ENDPOINTS] == [declaration.key for declaration in record_types()]
    assert len({endpoint.path for endpoint in ENDPOINTS}) == len(ENDPOINTS)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.key)
def test_each_type_lists_and_reads_its_records(api_as, full_study, endpoint):
    api = api_as("monitor")
    listed = api.get(f"/api/v1/{endpoint.path}/")
    assert listed.status_code == 200
    stored = list(endpoint.model._default_manager.order_by("id").values_list("id", flat=True))
    assert [row["id"] for row in listed.json()["results"]] == stored
    for pk in stored[:2]:
        one = api.get(f"/api/v1/{endpoint.path}/{pk}/")
        assert one.status_code == 200 and one.json()["id"] == pk and one["ETag"] == f'"{one.json()["version"]}"'
        assert api.get(f"/api/v1/{endpoint.path}/{pk}/history/").json()[-1]["action"] == "created"


def test_patients_never_carry_initials(api_as, study):
    row = api_as("monitor").get("/api/v1/patients/").json()["results"][0]
    assert "initials" not in row and row["study_id"] == study["patient"].study_id


def test_visits_carry_category_code_and_response_summary(api_as, study):
    rows = api_as("monitor").get("/api/v1/visits/").json()["results"]
    week1 = next(row for row in rows if row["code"] == "week1")
    summary = study["patient"].response
    assert week1["category"] == study["visit"].category
    assert week1["response"]["current_status"] == summary.current_status
    assert week1["response"]["best_response"] == summary.best_response


def test_filters_by_patient_date_and_updated_since(api_as, users, study):
    nurse, today = users["nurse"], study["today"]
    other = enrol(nurse, start=today - timedelta(days=5), today=today)
    api = api_as("monitor")

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/v1/visits/?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    mine = list(study["patient"].visits.order_by("id").values_list("id", flat=True))
    assert ids(f"patient={study['patient'].study_id}") == mine
    assert ids(f"patient={other.study_id}") == list(other.visits.values_list("id", flat=True))
    assert ids("patient=ITP-999") == []
    week1 = study["visit"]
    day = week1.visit_date.isoformat()
    assert ids(f"date_from={day}&date_to={day}") == [week1.pk]
    later = timezone.now() + timedelta(hours=1)
    with time_machine.travel(later):
        corrected = record(other, nurse, "week1", day=2, platelets=80, today=today)
    assert ids(urlencode({"updated_since": (later - timedelta(minutes=1)).isoformat()})) == [corrected.pk]
    assert ids(f"updated_since={later.date().isoformat()}")[-1] == corrected.pk


@pytest.mark.parametrize("query, field", [("date_from=2026-13-01", "date_from"), ("updated_since=yesterday",
                                                                                  "updated_since")])
def test_bad_filters_are_400_by_field(api_as, study, query, field):
    response = api_as("monitor").get(f"/api/v1/visits/?{query}")
    assert response.status_code == 400 and set(response.json()) == {field}


def test_cursor_pages_are_stable_while_records_are_added(api_as, users, study):
    nurse, today = users["nurse"], study["today"]
    for n in range(3):
        enrol(nurse, start=today - timedelta(days=5 + n), today=today)
    api = api_as("monitor")
    first = api.get("/api/v1/patients/?page_size=2").json()
    enrol(nurse, start=today - timedelta(days=2), today=today)  # arrives between two pages
    second = api.get(first["next"]).json()
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert seen == sorted(seen) and len(set(seen)) == 4
    assert api.get(second["next"]).json()["results"][0]["id"] > seen[-1]


def test_timestamps_stay_utc_whatever_the_study_zone(api_as, study, settings):
    """Pages show moments in the study's zone (Asia/Shanghai); the API keeps writing them in UTC, with Z."""
    from datetime import UTC, datetime

    assert settings.TIME_ZONE == "Asia/Shanghai"
    api = api_as("monitor")
    week1 = study["visit"]
    row = api.get(f"/api/v1/visits/{week1.pk}/").json()
    assert row["modified_at"].endswith("Z")
    assert datetime.fromisoformat(row["modified_at"]) == week1.modified_at.astimezone(UTC)
    assert row["response"]["computed_at"].endswith("Z")  # the nested response summary too
    assert api.get(f"/api/v1/visits/{week1.pk}/history/").json()[-1]["when"].endswith("Z")
