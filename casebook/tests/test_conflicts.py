"""Two people edit the same record: the second save is refused with what the first changed (field, values, who),
keeps what the second typed, and one more click saves it on the current version. On every edit page."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from dosing.tests.factories import con_med, dose, trough
from safety.tests.builders import alt, event, lab
from tests.factories import PASSWORD, enrol, record, user_with_role
from tests.pages import hidden_fields

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _visit(patient, nurse):
    return record(patient, nurse, "week1", day=7, platelets=40, today=_today())


# page → (record builder, edit url, A's values, B's values, the field both change, B's value as the table shows it)
PAGES = {
    "visit": (_visit, lambda r: f"/visits/{r.pk}/edit/",
              lambda r: {"visit_date": r.visit_date, "platelets": "55", "bleeding_grade": "0"},
              lambda r: {"visit_date": r.visit_date, "platelets": "44", "bleeding_grade": "1"}, "platelets", "44"),
    "dose": (lambda p, u: dose(p, u, day=0, mg=2, today=_today()), lambda r: f"/dosing/doses/{r.pk}/edit/",
             lambda r: {"start_date": r.start_date, "mg_per_day": "3", "phase": "start"},
             lambda r: {"start_date": r.start_date, "mg_per_day": "2.5", "phase": "start"}, "mg_per_day", "2.5"),
    "trough": (lambda p, u: trough(p, u, day=8, ng_ml="8", today=_today()), lambda r: f"/dosing/troughs/{r.pk}/edit/",
               lambda r: {"sample_date": r.sample_date, "ng_ml": "9"},
               lambda r: {"sample_date": r.sample_date, "ng_ml": "19.5"}, "ng_ml", "19.5"),
    "con_med": (lambda p, u: con_med(p, u, name="Omeprazole", day=3, today=_today()),
                lambda r: f"/dosing/con-meds/{r.pk}/edit/",
                lambda r: {"name": "Omeprazole", "start_date": r.start_date, "indication": "reflux", "dose": "20 mg"},
                lambda r: {"name": "Omeprazole", "start_date": r.start_date, "indication": "reflux", "dose": "40 mg"},
                "dose", "40 mg"),
    "lab_value": (lambda p, u: lab(p, u, on=_today() - timedelta(days=2), values=[alt(30)]).values.get(),
                  lambda r: f"/safety/lab-values/{r.pk}/edit/",
                  lambda r: {"value": "35", "unit": "U/L", "uln": "40"},
                  lambda r: {"value": "130", "unit": "U/L", "uln": "40"}, "value", "130"),
    "adverse_event": (lambda p, u: event(p, u, on=_today() - timedelta(days=2)),
                      lambda r: f"/safety/adverse-events/{r.pk}/edit/",
                      lambda r: {"term": "Diarrhea", "grade": "2", "onset_date": r.onset_date, "serious": "no",
                                 "relation": "possible", "action": "none", "outcome": "ongoing"},
                      lambda r: {"term": "Diarrhea", "grade": "1", "onset_date": r.onset_date, "serious": "no",
                                 "relation": "possible", "action": "none", "outcome": "recovered"},
                      "grade", "1 — Mild"),
    "patient": (lambda p, u: p, lambda r: f"/patients/{r.study_id}/edit/",
                lambda r: {"sex": "female", "birth_date": "1975-06-01", "diagnosis_date": r.diagnosis_date,
                           "weight_kg": "62.0"},
                lambda r: {"sex": "female", "birth_date": "1975-06-01", "diagnosis_date": r.diagnosis_date,
                           "weight_kg": "58.5"}, "weight_kg", "58.5"),
}


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_the_second_save_shows_the_first_ones_change_keeps_its_entry_and_reapplies_it(name, users):
    make, url_of, values_a, values_b, field, typed_b = PAGES[name]
    nurse_a, nurse_b = users["nurse"], user_with_role("nurse", username="nurse-b")
    patient = enrol(nurse_a, start=_today() - timedelta(days=20), today=_today())
    target = make(patient, nurse_a)
    url = url_of(target)
    a, b = _client(nurse_a), _client(nurse_b)
    page_a, page_b = hidden_fields(a, url), hidden_fields(b, url)  # both open the page
    assert page_a["version"] == page_b["version"] == str(target.version)

    saved = a.post(url, {**page_a, **values_a(target), "reason": "A: from the source document"})
    assert saved.status_code == 302
    refused = b.post(url, {**page_b, **values_b(target), "reason": "B: lab called back"})
    assert refused.status_code == 409
    html = refused.content.decode()
    row = re.search(rf'<tr data-field="{field}">(.*?)</tr>', html, re.S)
    assert row, f"the conflict lists {field}"
    assert nurse_a.get_full_name() in row.group(1)
    assert f'data-testid="yours">{typed_b}<' in row.group(1)
    current = type(target).objects.get(pk=target.pk)
    assert current.version == target.version + 1  # A's save, not B's
    assert f'name="version" value="{current.version}"' in html  # B's form is now on the current version
    assert "B: lab called back" in html  # B's reason is kept too

    again = {**hidden_fields_of(html), **values_b(target), "reason": "B: lab called back"}
    assert b.post(url, again).status_code == 302  # one click: B's entry on the current version
    final = type(target).objects.get(pk=target.pk)
    assert final.version == target.version + 2
    reasons = list(final.history.order_by("-history_date", "-history_id").values_list("history_change_reason",
                                                                                      flat=True)[:2])
    assert reasons == ["B: lab called back", "A: from the source document"]


def hidden_fields_of(html: str) -> dict:
    return {m[0]: m[1] for m in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
            if m[0] != "csrfmiddlewaretoken"}


def test_an_edit_page_of_a_locked_record_says_why(client, nurse, physician):
    from tests.factories import sign_casebook

    patient = enrol(nurse, start=_today() - timedelta(days=20), today=_today())
    level = trough(patient, nurse, day=8, ng_ml="8", today=_today())
    sign_casebook(patient, physician, up_to=_today(), today=_today())
    client.force_login(nurse)
    for url in (f"/dosing/troughs/{level.pk}/edit/", f"/patients/{patient.study_id}/edit/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Locked: reviewed and approved by" in response.content.decode()
    page = client.get(f"/patients/{patient.study_id}/").content.decode()
    assert f"/patients/{patient.study_id}/edit/" not in page  # no "Correct details" inside a signed casebook


def test_a_decision_on_a_level_changed_since_the_page_is_refused_and_shows_the_new_level(users):
    nurse, physician = users["nurse"], users["physician"]
    patient = enrol(nurse, start=_today() - timedelta(days=30), today=_today())
    dose(patient, nurse, day=0, mg=2, today=_today())
    level = trough(patient, nurse, day=20, ng_ml="19.5", today=_today())
    doctor = _client(physician)
    url = f"/dosing/troughs/{level.pk}/accept/"
    opened = hidden_fields(doctor, url)
    from dosing.services import TroughValues, trough_update

    trough_update(trough=level, user=nurse, reason="lab re-run", version=level.version, today=_today(),
                  values=TroughValues(sample_date=level.sample_date, ng_ml=Decimal("12.0"),
                                      hours_since_dose=Decimal(24), lab="Central lab"))
    response = doctor.post(url, {**opened, "start_date": _today()})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-field="ng_ml"' in html and nurse.get_full_name() in html
    assert "12 ng/mL" in html  # the page now shows the level as it is (as entered, no spurious decimals)
    assert not patient.dose_changes.filter(start_date=_today()).exists()


def test_a_proposal_changed_by_its_lab_correction_is_not_decided_on_the_old_one(users):
    from safety.models import AeProposal
    from safety.services import LabInput, lab_value_update

    nurse, physician = users["nurse"], users["physician"]
    patient = enrol(nurse, start=_today() - timedelta(days=30), today=_today())
    value = lab(patient, nurse, on=_today() - timedelta(days=2), values=[alt(100)]).values.get()
    proposal = AeProposal.objects.get()
    doctor = _client(physician)
    url = f"/safety/proposals/{proposal.pk}/"
    opened = hidden_fields(doctor, url)
    lab_value_update(lab_value=value, user=nurse, reason="re-run", version=value.version, today=_today(),
                     values=LabInput("alt", Decimal(250), "U/L", uln=Decimal(40)))  # now grade 3
    response = doctor.post(url, {**opened, "decision": "confirm", "relation": "possible", "action": "none",
                                 "serious": "no", "outcome": "ongoing"})
    assert response.status_code == 409
    assert 'data-field="grade"' in response.content.decode()
    assert AeProposal.objects.get().status == "proposed"
