"""The history pages of every declared record type, and the patient's whole history (Django's client; the
browser tests walk them as a person would)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from casebook.history import patient_history, patient_types
from casebook.registry import record_types
from patients.models import Patient
from reports.importer import study_import
from reports.tests.generated import GENERATED_AS_OF, generated_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(data_manager):
    """Four generated patients (every record type among them) and the healthy controls."""
    document = generated_study(4)
    study_import(document=document, user=data_manager, reason="imported for the test", today=GENERATED_AS_OF)
    return Patient.objects.order_by("study_id")


@pytest.mark.parametrize("key", [t.key for t in record_types()])
def test_every_record_type_has_a_history_page_with_the_values_entered(client, study, monitor, key):
    record_type = next(t for t in record_types() if t.key == key)
    record = record_type.model._default_manager.order_by("pk").first()
    client.force_login(monitor)
    response = client.get(reverse("casebook:history", kwargs={"key": key, "pk": record.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert str(record_type.label) in page and 'data-action="created"' in page
    created = response.context["entries"][-1]
    assert created.action == "created" and created.changes  # the values entered, each with its label
    assert created.reason in ("imported for the test", "created", "confirmed by physician") or \
        created.reason.startswith("dismissed: ")  # the import's reason, or the service's own for a consequence


def test_a_change_shows_old_and_new_values_who_and_why(client, study, nurse):
    from dosing.models import Trough
    from dosing.services import TroughValues, trough_update

    trough = Trough.objects.filter(patient=study[0]).order_by("sample_date").first()
    trough_update(trough=trough, values=TroughValues(sample_date=trough.sample_date, ng_ml=Decimal("14.5"),
                                                     sample_time=trough.sample_time,
                                                     hours_since_dose=trough.hours_since_dose, lab=trough.lab),
                  user=nurse, reason="transcription error", version=trough.version, today=GENERATED_AS_OF)
    client.force_login(nurse)
    response = client.get(reverse("casebook:history", kwargs={"key": "trough", "pk": trough.pk}))
    newest = response.context["entries"][0]
    assert (newest.action, newest.who, newest.reason) == ("changed", nurse.get_full_name(), "transcription error")
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("level (ng/mL)", "16.5", "14.5")]


def test_a_visit_page_shows_its_signatures(client, study, nurse):
    visit = study[0].visits.order_by("visit_date").first()
    client.force_login(nurse)
    response = client.get(reverse("casebook:history", kwargs={"key": "visit", "pk": visit.pk}))
    [(other, signature, entries)] = response.context["related"]
    assert other.key == "signature" and signature.visit_id == visit.pk and entries[-1].action == "created"


@pytest.mark.parametrize(("key", "pk", "status"), [("no_such_type", 1, 404), ("dose", 10**9, 404)],
                         ids=["unknown-type", "unknown-record"])
def test_unknown_types_and_records_are_not_found(client, study, nurse, key, pk, status):
    client.force_login(nurse)
    assert client.get(f"/history/{key}/{pk}/").status_code == status


def test_the_patient_history_holds_every_type_of_the_casebook_newest_first(client, study, nurse):
    patient = study[1]  # an even number: a confirmed proposal
    client.force_login(nurse)
    response = client.get(reverse("casebook:patient_history", kwargs={"study_id": patient.study_id}))
    entries = response.context["entries"]
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    shown = {e.record_type.key for e in entries}
    assert shown == {t.key for t in patient_types()} - {"withdrawal", "rescue"}  # patient 2 has neither
    assert "healthy_control" not in shown  # study level: in no patient's history
    assert all(e.record_label for e in entries)


@pytest.mark.parametrize("types", [["dose"], ["dose", "trough"], ["not_a_type"]], ids=["one", "two", "unknown"])
def test_the_patient_history_is_filtered_by_type(client, study, nurse, types):
    patient = study[0]
    client.force_login(nurse)
    response = client.get(reverse("casebook:patient_history", kwargs={"study_id": patient.study_id}),
                          {"type": types})
    keys = {e.record_type.key for e in response.context["entries"]}
    wanted = {key for key in types if key != "not_a_type"}
    assert keys == (wanted or {t.key for t in patient_types()} & keys)
    if wanted:
        assert len(response.context["entries"]) == len(patient_history(patient=patient, keys=wanted))


def test_the_patient_history_makes_a_bounded_number_of_queries(client, study, nurse, django_assert_max_num_queries):
    client.force_login(nurse)
    url = reverse("casebook:patient_history", kwargs={"study_id": study[0].study_id})
    with django_assert_max_num_queries(50):  # a few per record type (46 today), not one per entry or value
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("old", "key"),
    [("dosing:dose_history", "dose"), ("dosing:trough_history", "trough"), ("dosing:con_med_history", "con_med"),
     ("visits:history", "visit")],
)
def test_the_former_history_urls_lead_to_the_record_page(client, study, nurse, old, key):
    record_type = next(t for t in record_types() if t.key == key)
    record = record_type.model._default_manager.order_by("pk").first()
    kwarg = {"dosing:dose_history": "dose_pk", "dosing:trough_history": "trough_pk",
             "dosing:con_med_history": "con_med_pk"}.get(old, "pk")
    client.force_login(nurse)
    response = client.get(reverse(old, kwargs={kwarg: record.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("casebook:history", kwargs={"key": key, "pk": record.pk})


def test_the_former_patient_history_url_leads_to_the_whole_history(client, study, nurse):
    client.force_login(nurse)
    response = client.get(reverse("patients:history", kwargs={"study_id": study[0].study_id}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("casebook:patient_history",
                                                     kwargs={"study_id": study[0].study_id})


@pytest.mark.parametrize("page", ["record", "patient"])
def test_history_needs_a_study_role(client, study, page):
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.create_user("outsider", password="x")
    client.force_login(outsider)
    url = (reverse("casebook:history", kwargs={"key": "patient", "pk": study[0].pk}) if page == "record"
           else reverse("casebook:patient_history", kwargs={"study_id": study[0].study_id}))
    assert client.get(url).status_code == 403


def test_a_birth_date_correction_is_in_the_history_for_the_study_team(client, study, nurse):
    from patients.services import patient_update

    patient = study[0]
    patient_update(patient=patient, changes={"birth_date": date(1961, 1, 1)}, user=nurse, reason="typo",
                   version=patient.version, today=GENERATED_AS_OF)
    client.force_login(nurse)
    response = client.get(reverse("casebook:history", kwargs={"key": "patient", "pk": patient.pk}))
    assert [(c.label, c.new) for c in response.context["entries"][0].changes] == [("birth date", "1961-01-01")]
