from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from patients.eligibility import PriorTherapyInput
from patients.models import Consent, Eligibility, Patient, PriorTherapy
from patients.services import patient_update
from tests.factories import enrol, enrolment_input
from visits.enrolment import patient_enrol
from visits.models import ScheduledVisit, Visit
from visits.schedule import PROTOCOL_SCHEDULE

START = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def test_enrolment_allocates_study_ids_in_sequence(nurse):
    first = enrol(nurse, start=START)
    second = enrol(nurse, start=START)
    assert (first.study_id, second.study_id) == ("ITP-001", "ITP-002")


def test_enrolment_creates_the_schedule_with_windows(nurse):
    patient = enrol(nurse, start=START)
    slots = {s.code: s for s in ScheduledVisit.objects.filter(patient=patient)}
    assert list(slots) == list(PROTOCOL_SCHEDULE.codes)
    assert (slots["week1"].target_date, slots["week1"].earliest, slots["week1"].latest) == (
        date(2026, 3, 9), date(2026, 3, 7), date(2026, 3, 11))
    assert (slots["month6"].earliest, slots["month6"].latest) == (date(2026, 8, 3), date(2026, 8, 31))
    assert (slots["baseline"].earliest, slots["baseline"].latest) == (date(2026, 2, 23), START)


def test_enrolment_records_checklist_consent_and_history(nurse):
    patient = enrol(nurse, start=START, prior=[PriorTherapyInput("glucocorticoids"),
                                               PriorTherapyInput("tpo_ra", date(2025, 12, 1))])
    assert Eligibility.objects.get(patient=patient).checked_by == nurse
    assert Consent.objects.get(patient=patient).form_version == "2.1"
    assert sorted(PriorTherapy.objects.filter(patient=patient).values_list("therapy", flat=True)) == [
        "glucocorticoids", "tpo_ra"]
    assert patient.history.get().history_user == nurse


def test_an_unticked_criterion_refuses_enrolment_and_writes_nothing(nurse):
    criteria = {name: True for name in Eligibility.CRITERIA} | {"no_splenomegaly": False}
    with pytest.raises(ValidationError) as error:
        enrol(nurse, start=START, criteria=criteria)
    assert error.value.message_dict["no_splenomegaly"] == ["Must be confirmed for the patient to be eligible."]
    assert Patient.objects.count() == 0
    assert Patient.history.count() == 0


def test_recent_second_line_therapy_must_be_acknowledged(nurse):
    recent = [PriorTherapyInput("eltrombopag", START - timedelta(days=10))]
    with pytest.raises(ValidationError) as error:
        enrol(nurse, start=START, prior=recent)
    [message] = error.value.message_dict["washout_warning_acknowledged"]
    assert "Eltrombopag stopped on 2026-02-20, 10 days before sirolimus start" in message
    assert Patient.objects.count() == 0
    patient = enrol(nurse, start=START, prior=recent, acknowledged=True)
    assert patient.eligibility.washout_warning_acknowledged is True


def test_a_bad_baseline_refuses_the_whole_enrolment(nurse):
    with pytest.raises(ValidationError) as error:
        enrol(nurse, start=START, baseline_date=START + timedelta(days=1), today=START + timedelta(days=1))
    assert "baseline_visit_date" in error.value.message_dict
    assert (Patient.objects.count(), Visit.objects.count(), ScheduledVisit.objects.count()) == (0, 0, 0)


def test_checklist_and_consent_are_required_for_typed_enrolment(nurse):
    data = enrolment_input(start=START)
    from dataclasses import replace

    with pytest.raises(ValidationError, match="eligibility checklist and written consent are required"):
        patient_enrol(data=replace(data, consent=None), user=nurse, today=START)


def test_patient_update_needs_a_reason_and_is_audited(nurse, physician):
    patient = enrol(nurse, start=START)
    with pytest.raises(ValidationError):
        patient_update(patient=patient, version=patient.version, changes={"weight_kg": 64}, user=physician, reason="")
    patient_update(patient=patient, changes={"weight_kg": 64}, user=physician, reason="weighed again",
                   version=patient.version, today=START)
    latest = patient.history.order_by("-history_date").first()
    assert (latest.weight_kg, latest.history_user, latest.history_change_reason) == (64, physician, "weighed again")


def test_patient_update_cannot_move_day_0(nurse):
    patient = enrol(nurse, start=START)
    with pytest.raises(ValidationError, match="start_date"):
        patient_update(patient=patient, version=patient.version, changes={"start_date": START}, user=nurse, reason="x")


def test_a_future_day_0_is_refused(nurse):
    # Before: day 0 2027-03-10 was accepted (the ITP-007).
    today = date(2026, 11, 30)
    with pytest.raises(ValidationError) as error:
        enrol(nurse, start=date(2027, 3, 10), baseline_date=date(2026, 11, 1), today=today)
    assert "start_date" in error.value.message_dict
    assert Patient.objects.count() == 0


@pytest.mark.parametrize("days_before, accepted", [(0, True), (7, True), (8, False), (129, False)])
def test_the_baseline_count_lies_in_the_baseline_window(nurse, days_before, accepted):
    # SPEC §2 baseline window −7 .. 0, declared once in the schedule. Before: any earlier date was accepted.
    window = PROTOCOL_SCHEDULE.get("baseline")
    assert (window.window_before, window.window_after) == (7, 0)
    baseline_date = START - timedelta(days=days_before)
    if accepted:
        assert enrol(nurse, start=START, baseline_date=baseline_date).visits.get().visit_date == baseline_date
        return
    with pytest.raises(ValidationError) as error:
        enrol(nurse, start=START, baseline_date=baseline_date)
    [message] = error.value.message_dict["baseline_visit_date"]
    assert message == ("The baseline count must be within the baseline window, 7 days before day 0 to day 0 "
                       "(2026-02-23 to 2026-03-02).")
    assert Patient.objects.count() == 0
