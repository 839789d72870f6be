"""Writes of the other types through their declared services: nested values (an enrolment, a lab sample with its
values), the services' own problems by field, and corrections with If-Match."""

from datetime import timedelta

import pytest

from patients.models import Eligibility, Patient, Withdrawal

pytestmark = pytest.mark.django_db


def enrolment(start, **changes) -> dict:
    body = {"sex": "female", "birth_date": "1980-02-03", "diagnosis_date": (start - timedelta(days=400)).isoformat(),
            "start_date": start.isoformat(), "weight_kg": "61.5", "early_steroid_effective": True,
            "baseline": {"visit_date": start.isoformat(), "platelets": "18", "bleeding_grade": 0},
            "prior_therapies": [{"therapy": "glucocorticoids"}],
            "eligibility": {"criteria": {name: True for name in Eligibility.CRITERIA}, "second_line_washout": True,
                            "washout_warning_acknowledged": False, "checked_on": start.isoformat()},
            "consent": {"consent_date": (start - timedelta(days=1)).isoformat(), "version": "2.1",
                        "obtained_by": "Dr Example"}}
    body.update(changes)
    return body


def test_a_patient_is_enrolled_with_everything_the_form_writes(api_as, study):
    start = study["today"] - timedelta(days=2)
    response = api_as("physician").post("/api/v1/patients/", enrolment(start), format="json")
    assert response.status_code == 201, response.json()
    patient = Patient.objects.get(study_id=response.json()["study_id"])
    assert patient.visits.get().platelets == 18 and patient.prior_therapies.count() == 1
    assert patient.slots.count() > 5 and response.json()["response"]["current_status"] == "NE"
    history = patient.history.get()
    assert history.history_user.username == "physician"


@pytest.mark.parametrize("changes, field", [
    ({"prior_therapies": [{"therapy": "magic"}]}, "prior_therapies.0.therapy"),
    ({"baseline": {"visit_date": "2026-01-01", "platelets": "x", "bleeding_grade": 0}}, "baseline.platelets"),
    ({"sex": "unknown"}, "sex"),
])
def test_enrolment_problems_are_reported_at_their_field(api_as, study, changes, field):
    start = study["today"] - timedelta(days=2)
    response = api_as("nurse").post("/api/v1/patients/", enrolment(start, **changes), format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert Patient.objects.count() == 1


def test_a_lab_sample_is_recorded_with_its_values_and_a_value_is_corrected(api_as, study):
    api = api_as("nurse")
    patient = study["patient"]
    body = {"patient": patient.study_id, "sample_date": study["today"].isoformat(),
            "values": [{"analyte": "alt", "value": "30", "unit": "U/L", "uln": "40"},
                       {"analyte": "ast", "value": "35", "unit": "U/L", "uln": "40"}]}
    created = api.post("/api/v1/lab-samples/", body, format="json")
    assert created.status_code == 201, created.json()
    values = api.get(f"/api/v1/lab-values/?patient={patient.study_id}").json()["results"]
    assert sorted(row["analyte"] for row in values) == ["alt", "ast"]
    alt = next(row for row in values if row["analyte"] == "alt")
    url = f"/api/v1/lab-values/{alt['id']}/"
    fix = {"analyte": "alt", "value": "31", "unit": "U/L", "uln": "40", "reason": "lab re-issued the report"}
    corrected = api.put(url, fix, format="json", HTTP_IF_MATCH=f'"{alt["version"]}"')
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["value"] == 31 and corrected["ETag"] == f'"{alt["version"] + 1}"'


def test_a_dose_outside_the_range_needs_its_reason(api_as, study):
    api = api_as("nurse")
    body = {"patient": study["patient"].study_id, "start_date": study["patient"].start_date.isoformat(),
            "mg_per_day": "9", "phase": "start"}
    refused = api.post("/api/v1/doses/", body, format="json")
    assert refused.status_code == 400 and list(refused.json()) != [], refused.json()
    assert not study["patient"].dose_changes.exists()
    accepted = api.post("/api/v1/doses/", {**body, "out_of_range_reason": "tumour board decision"}, format="json")
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["out_of_range_reason"] == "tumour board decision"


def test_only_a_physician_takes_a_patient_off_study(api_as, study):
    body = {"patient": study["patient"].study_id, "off_study_date": study["today"].isoformat(),
            "off_study_reason": "consent withdrawn"}
    assert api_as("nurse").post("/api/v1/withdrawals/", body, format="json").status_code == 403
    assert not Withdrawal.objects.exists()
    done = api_as("physician").post("/api/v1/withdrawals/", body, format="json")
    assert done.status_code == 201, done.json()
    assert done.json()["off_study_reason"] == "consent withdrawn"
