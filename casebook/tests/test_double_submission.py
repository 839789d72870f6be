"""A create page posted twice (double click, browser retry) creates one record, not two: the page's one-time
token is claimed in the writing transaction; the second post is sent to what the first one created."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from casebook.models import Submission
from casebook.writes import AlreadySubmitted
from dosing.models import ConMed, DoseChange, Trough
from dosing.services import TroughValues, trough_record
from dosing.tests.factories import dose
from patients.models import Eligibility, Patient, Withdrawal
from safety.models import AdverseEvent, HealthyControl, LabSample, TregMeasurement
from tests.factories import PASSWORD, enrol
from tests.pages import hidden_fields
from visits.models import RescueTherapy, Visit

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _enrolment(_patient) -> dict:
    start = _today() - timedelta(days=3)
    data = {name: "on" for name in Eligibility.CRITERIA}
    return {**data, "second_line": "none", "checked_on": start, "consent_date": start - timedelta(days=1),
            "consent_version": "2.1",
            "consent_obtained_by": "Dr Wang", "sex": "female", "birth_date": "1971-05-02", "weight_kg": "61.5",
            "diagnosis_date": "2024-01-10", "first_line": "glucocorticoids", "early_steroid_effective": "true",
            "start_date": start, "baseline_visit_date": start, "baseline_platelets": "12",
            "baseline_bleeding_grade": "0", "second_line-TOTAL_FORMS": "3", "second_line-INITIAL_FORMS": "0"}


# page name → (url, valid form data, model that must gain exactly one row)
PAGES = {
    "enrol": (lambda p: "/patients/enrol/", _enrolment, Patient),
    "visit": (lambda p: f"/patients/{p.study_id}/visits/new/unscheduled/",
              lambda p: {"visit_date": _today(), "platelets": "44", "bleeding_grade": "0"}, Visit),
    # a protocol visit: the second post is refused by its own rule ("already recorded") before it could claim the
    # token; it is still told that the page was already sent (casebook.writes claims with the record it creates)
    "protocol_visit": (lambda p: f"/patients/{p.study_id}/visits/new/week2/",
                       lambda p: {"visit_date": p.start_date + timedelta(days=14), "platelets": "44",
                                  "bleeding_grade": "0"}, Visit),
    "rescue": (lambda p: f"/patients/{p.study_id}/rescue/new/",
               lambda p: {"given_on": _today(), "kind": "ivig", "details": "1 g/kg"}, RescueTherapy),
    "dose": (lambda p: f"/dosing/patients/{p.study_id}/doses/new/",
             lambda p: {"start_date": p.start_date, "mg_per_day": "2", "phase": "start"}, DoseChange),
    "trough": (lambda p: f"/dosing/patients/{p.study_id}/troughs/new/",
               lambda p: {"sample_date": _today(), "ng_ml": "8.5", "hours_since_dose": "24"}, Trough),
    "con_med": (lambda p: f"/dosing/patients/{p.study_id}/con-meds/new/",
                lambda p: {"name": "Omeprazole", "start_date": _today(), "indication": "reflux"}, ConMed),
    "stop": (lambda p: f"/dosing/patients/{p.study_id}/stop/",
             lambda p: {"stop_date": _today(), "reason": "no response at month 3"}, DoseChange),
    "labs": (lambda p: f"/safety/patients/{p.study_id}/labs/new/",
             lambda p: {"sample_date": _today(), "alt": "30", "alt_unit": "U/L", "alt_uln": "40"}, LabSample),
    "adverse_event": (lambda p: f"/safety/patients/{p.study_id}/adverse-events/new/",
                      lambda p: {"term": "Diarrhea", "grade": "1", "onset_date": _today(), "serious": "no",
                                 "relation": "possible", "action": "none", "outcome": "ongoing"}, AdverseEvent),
    "treg": (lambda p: f"/safety/patients/{p.study_id}/treg/new/",
             lambda p: {"timepoint": "baseline", "sample_date": p.start_date, "percent": "5.6"}, TregMeasurement),
    "off_study": (lambda p: f"/patients/{p.study_id}/off-study/",
                  lambda p: {"off_study_date": _today(), "off_study_reason": "moved away"}, Withdrawal),
    "control": (lambda p: "/safety/controls/new/",
                lambda p: {"control_id": "HC-07", "percent": "5.2"}, HealthyControl),
}


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=_today() - timedelta(days=20), today=_today())


@pytest.mark.parametrize("name", PAGES)
def test_the_same_post_twice_creates_one_record(name, client, physician, patient):
    url_of, data_of, model = PAGES[name]
    client.force_login(physician)  # a physician can use every create page
    if name == "stop":  # a regimen to stop
        dose(patient, physician, day=0, mg=2, today=_today())
    url = url_of(patient)
    data = {**hidden_fields(client, url), **data_of(patient)}
    assert "token" in data, "every create page carries a one-time token"
    before = model.objects.count()
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    second = client.post(url, data)  # the browser sends the very same form again
    assert second.status_code == 302
    assert second.url == first.url  # to what the first post created
    assert model.objects.count() == before + 1
    followed = client.get(second.url).content.decode()
    assert "This page was already sent" in followed and "Nothing was saved twice" in followed
    submission = Submission.objects.get(token=data["token"])
    assert submission.user == physician


def test_two_simultaneous_posts_of_one_page_create_one_record(transactional_db, nurse):
    """The token is claimed under the patient lock: the second post waits for the first, then finds it taken."""
    patient = enrol(nurse, start=_today() - timedelta(days=20), today=_today())
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes = []

    def post():
        try:
            barrier.wait()
            trough_record(patient=patient, user=nurse, token=token,
                          values=TroughValues(sample_date=_today(), ng_ml=8))
            outcomes.append("created")
        except AlreadySubmitted as already:
            outcomes.append(f"already:{already.submission.record_type}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["already:trough", "created"]
    assert Trough.objects.count() == 1


def test_a_page_without_its_token_is_refused(client, nurse, patient):
    client.force_login(nurse)
    response = client.post(f"/dosing/patients/{patient.study_id}/troughs/new/",
                           {"sample_date": _today(), "ng_ml": "8.5"})
    assert response.status_code == 400
    assert "no submission token" in response.content.decode()
    assert Trough.objects.count() == 0


def test_a_failed_post_does_not_use_up_its_token(client, nurse, patient):
    client.force_login(nurse)
    url = f"/dosing/patients/{patient.study_id}/troughs/new/"
    hidden = hidden_fields(client, url)
    assert client.post(url, {**hidden, "sample_date": _today() + timedelta(days=2), "ng_ml": "8.5"}).status_code == 400
    assert client.post(url, {**hidden, "sample_date": _today(), "ng_ml": "8.5"}).status_code == 302
    assert Trough.objects.count() == 1


def test_another_users_session_is_told_who_saved_it(nurse, physician, patient):
    """The same page sent from two sessions (e.g. a shared tablet): one record, the second is told by whom."""
    first, second = Client(), Client()
    first.login(username=nurse.username, password=PASSWORD)
    second.login(username=physician.username, password=PASSWORD)
    url = f"/dosing/patients/{patient.study_id}/troughs/new/"
    data = {**hidden_fields(first, url), "sample_date": _today(), "ng_ml": "8.5"}
    first.post(url, data)
    response = second.post(url, data, follow=True)
    assert nurse.get_full_name() in response.content.decode()
    assert Trough.objects.count() == 1
