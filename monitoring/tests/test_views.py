"""Monitoring pages: every record type has one, refusals are 403, bad input comes back next to its field."""

from datetime import date, timedelta

import pytest

from casebook.registry import record_types
from dosing.tests.factories import dosing_records
from monitoring.models import Query, QueryStatus, Verification
from monitoring.services import query_raise, record_verify
from safety.services import healthy_control_record
from safety.tests.builders import safety_records
from tests.factories import enrol, record, sign_visit
from visits.models import Visit
from visits.services import rescue_record

START = date(2026, 3, 2)
TODAY = START + timedelta(days=8)
pytestmark = pytest.mark.django_db


@pytest.fixture
def casebook(nurse, physician):
    """A patient with a record of every declared type (and a healthy control)."""
    patient = enrol(nurse, start=START, today=TODAY)
    record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    rescue_record(patient=patient, given_on=TODAY, kind="ivig", details="", user=nurse, today=TODAY)
    safety_records(patient, nurse, today=TODAY)
    dosing_records(patient, nurse, today=TODAY)
    sign_visit(patient.visits.get(slot__code="week1"), physician)
    healthy_control_record(control_id="HC-01", percent="5.1", sample_date=TODAY, user=nurse, today=TODAY)
    return patient


@pytest.mark.parametrize("declaration", record_types(), ids=lambda d: d.key)
def test_every_record_type_can_be_queried_and_verified(client, users, casebook, declaration):
    record = declaration.model._default_manager.order_by("pk").first()
    assert record is not None, f"the scenario has no {declaration.key}"
    query = query_raise(record_type=declaration.key, record_id=record.pk, field="", text="Source?",
                        user=users["monitor"])
    record_verify(record_type=declaration.key, record_id=record.pk, user=users["monitor"], version=record.version)
    client.force_login(users["monitor"])
    page = client.get(f"/monitoring/records/{declaration.key}/{record.pk}/")
    assert page.status_code == 200
    assert 'data-state="verified"' in page.content.decode()
    assert client.get(f"/monitoring/queries/{query.pk}/").status_code == 200


@pytest.fixture
def visit(nurse):
    patient = enrol(nurse, start=START, today=TODAY)
    return record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)


@pytest.mark.parametrize("role, method, path, data", [
    ("nurse", "post", "/monitoring/records/visit/{visit}/", {"field": "platelets", "text": "?"}),
    ("physician", "post", "/monitoring/records/visit/{visit}/", {"field": "", "text": "?"}),
    ("nurse", "post", "/monitoring/queries/{query}/", {"action": "close", "close-text": "done"}),
    ("monitor", "post", "/monitoring/queries/{query}/", {"action": "answer", "text": "x", "version": "1"}),
    ("nurse", "post", "/monitoring/records/visit/{visit}/", {"action": "verify", "version": "1"}),
    ("data_manager", "post", "/monitoring/records/visit/{visit}/", {"action": "verify", "version": "1"}),
], ids=["nurse-raises", "physician-raises", "nurse-closes", "monitor-answers", "nurse-verifies", "dm-verifies"])
def test_refusals_are_403_and_change_nothing(client, users, visit, role, method, path, data):
    query = query_raise(record_type="visit", record_id=visit.pk, field="platelets", text="?", user=users["monitor"])
    client.force_login(users[role])
    response = getattr(client, method)(path.format(visit=visit.pk, query=query.pk), data)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert Query.objects.count() == 1 and Query.objects.get().status == QueryStatus.OPEN
    assert not Verification.objects.exists()


def test_bad_input_is_shown_next_to_the_field_and_kept(client, users, visit):
    client.force_login(users["monitor"])
    response = client.post(f"/monitoring/records/visit/{visit.pk}/", {"field": "platelets", "text": "  "})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    query = query_raise(record_type="visit", record_id=visit.pk, field="platelets", text="?", user=users["monitor"])
    client.force_login(users["nurse"])
    response = client.post(f"/monitoring/queries/{query.pk}/", {"action": "answer", "text": "fixed",
                                                                  "new_value": "54x", "reason": "", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give a reason for changing a saved record." in page and 'value="54x"' in page
    response = client.post(f"/monitoring/queries/{query.pk}/", {"action": "answer", "text": "fixed",
                                                                  "new_value": "54x", "reason": "typo", "version": "1"})
    assert response.status_code == 400 and "Enter a number." in response.content.decode()
    assert Visit.objects.get(pk=visit.pk).version == 1


@pytest.mark.parametrize("path, status", [
    ("/monitoring/records/nothing/1/", 404), ("/monitoring/records/visit/999999/", 404),
    ("/monitoring/queries/999999/", 404), ("/monitoring/queries/?status=bogus&age=x&type=zz", 200),
])
def test_unknown_addresses(client, users, path, status):
    client.force_login(users["monitor"])
    assert client.get(path).status_code == status


def test_unknown_action_is_404(client, users, visit):
    query = query_raise(record_type="visit", record_id=visit.pk, field="platelets", text="?", user=users["monitor"])
    client.force_login(users["monitor"])
    assert client.post(f"/monitoring/queries/{query.pk}/", {"action": "delete"}).status_code == 404
    assert Query.objects.filter(pk=query.pk).exists()


def test_sign_page_names_the_open_queries_and_refuses(client, users, visit):
    query = query_raise(record_type="visit", record_id=visit.pk, field="platelets", text="Which lab?",
                        user=users["monitor"])
    client.force_login(users["physician"])
    study_id = visit.patient.study_id
    page = client.get(f"/review/patients/{study_id}/sign/?up_to={TODAY}")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="signing-queries"' in text and "Which lab?" in text
    assert f"/monitoring/queries/{query.pk}/" in text


def test_patient_page_marks_the_critical_values(client, users, casebook):
    from dosing.models import DoseChange, Trough
    from safety.models import AdverseEvent

    trough = Trough.objects.filter(patient=casebook).first()
    query_raise(record_type="trough", record_id=trough.pk, field="ng_ml", text="Unit?", user=users["monitor"])
    client.force_login(users["monitor"])
    page = client.get(f"/patients/{casebook.study_id}/").content.decode()
    assert page.count('data-testid="query-mark" data-field="ng_ml"') == 1
    controls = {field: page.count(f'data-testid="query-control" data-field="{field}"')
                for field in ("platelets", "bleeding_grade", "mg_per_day", "grade", "relation")}
    visits = casebook.visits.count()
    assert controls == {"platelets": visits, "bleeding_grade": visits,
                        "mg_per_day": DoseChange.objects.filter(patient=casebook).count(),
                        "grade": AdverseEvent.objects.filter(patient=casebook).count(),
                        "relation": AdverseEvent.objects.filter(patient=casebook).count()}
    client.force_login(users["nurse"])  # a nurse sees the marks, not the controls to raise
    page = client.get(f"/patients/{casebook.study_id}/").content.decode()
    assert 'data-testid="query-mark"' in page and 'data-testid="query-control"' not in page
