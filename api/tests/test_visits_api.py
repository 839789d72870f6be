"""Visits through the API: the same service, validation, recompute and audit as the form."""

from datetime import timedelta

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def visit_body(patient, *, code="week2", day=14, platelets="55", grade=0):
    return {"patient": patient.study_id, "code": code,
            "values": {"visit_date": (patient.start_date + timedelta(days=day)).isoformat(),
                       "platelets": platelets, "bleeding_grade": grade}}


def test_a_nurse_records_a_visit_and_reads_it_back(api_as, study):
    api = api_as("nurse")
    patient = study["patient"]
    created = api.post("/api/v1/visits/", visit_body(patient, day=10), format="json")
    assert created.status_code == 201, created.json()
    assert created["ETag"] == '"1"'
    body = created.json()
    assert (body["patient"], body["code"], body["version"]) == (patient.study_id, "week2", 1)
    assert body["response"]["current_status"] == body["category"] or body["response"]
    read = api.get(f"/api/v1/visits/{body['id']}/")
    assert read.status_code == 200 and read.json() == body and read["ETag"] == '"1"'


def test_update_needs_if_match_and_a_reason_and_a_stale_version_changes_nothing(api_as, study):
    api = api_as("nurse")
    visit = study["visit"]
    url = f"/api/v1/visits/{visit.pk}/"
    body = {**visit_body(study["patient"], code="week1", day=7, platelets="45"), "reason": "typo"}
    before = api.get(url).json()
    missing = api.put(url, body, format="json")
    assert missing.status_code == 428
    stale = api.put(url, body, format="json", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412 and stale.json()["current_version"] == 1
    no_reason = api.put(url, {**body, "reason": ""}, format="json", HTTP_IF_MATCH='"1"')
    assert no_reason.status_code == 400 and set(no_reason.json()) == {"reason"}
    assert api.get(url).json() == before
    assert visit.history.count() == 1
    done = api.put(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200, done.json()
    assert done["ETag"] == '"2"' and done.json()["platelets"] == 45
    history = api.get(url + "history/").json()
    assert history[0]["reason"] == "typo" and history[0]["new"] == "45.0"


def test_problems_come_back_by_field(api_as, study):
    api = api_as("nurse")
    body = visit_body(study["patient"], day=10, platelets="many")
    body["values"]["visit_date"] = "not a date"
    response = api.post("/api/v1/visits/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"values.visit_date", "values.platelets"}, response.json()


def test_service_problems_are_reported_at_their_field(api_as, study):
    api = api_as("nurse")
    future = visit_body(study["patient"], day=10)
    future["values"]["visit_date"] = (study["today"] + timedelta(days=3)).isoformat()
    response = api.post("/api/v1/visits/", future, format="json")
    assert response.status_code == 400
    assert "values.visit_date" in response.json(), response.json()


def test_a_monitor_reads_but_cannot_write(api_as, study):
    api = api_as("monitor")
    assert api.get("/api/v1/visits/").status_code == 200
    response = api.post("/api/v1/visits/", visit_body(study["patient"], day=10), format="json")
    assert response.status_code == 403
    assert study["patient"].visits.count() == 2


def test_unknown_ids_are_404(api_as, study):
    assert api_as("nurse").get("/api/v1/visits/999999/").status_code == 404
    assert api_as("nurse").put("/api/v1/visits/999999/", {}, format="json").status_code == 404


def test_study_report_is_the_commands_document(api_as, study):
    from reports.selectors import study_report

    response = api_as("physician").get(reverse("api:study_report"))
    assert response.status_code == 200
    assert response.json() == study_report(today=study["today"])
    assert api_as("nurse").get(reverse("api:study_report")).status_code == 403


def test_study_report_of_an_empty_study(users):
    from api.tests.conftest import token_client
    from reports.selectors import study_report

    response = token_client(users["monitor"]).get(reverse("api:study_report"))
    assert response.status_code == 200 and response.json() == study_report()


def test_the_schema_builds_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/visits/{id}/" in (tmp_path / "schema.yaml").read_text()
