"""The dosing panel and the study's drug-monitoring list: what they show, in fixed query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from casebook.selectors import casebook_locks
from dosing.selectors import dosing_panel, drug_monitoring_list
from dosing.services import sirolimus_stop
from dosing.tests.factories import con_med, dose, trough
from patients.selectors import patient_detail
from tests.factories import enrol, record

START = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def day(n: int) -> date:
    return START + timedelta(days=n)


def panel(patient, today):
    return dosing_panel(patient=patient_detail(study_id=patient.study_id), today=today)


def test_panel_shows_current_dose_flags_suggestion_and_due(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    trough(patient, nurse, day=7, ng_ml="19.5", hours="3")
    trough(patient, nurse, day=8, ng_ml="19.5", hours="24")
    data = panel(patient, day(8))
    assert data["current"].mg_per_day == 2
    (row, not_a_trough) = data["troughs"]  # newest first
    assert (row.level, row.flagged, row.can_accept, row.suggestion.mg_per_day) == ("high", True, True, Decimal("1.0"))
    assert (row.timing_warning, row.suggestion_warning) == (None, None)
    assert str(not_a_trough.timing_warning).startswith("Not a trough: drawn 3 h after the last dose")
    assert (not_a_trough.suggestion.mg_per_day, not_a_trough.can_accept, not_a_trough.can_dismiss) == (
        None, False, True)
    assert data["due"] == []
    assert [d.reason for d in panel(patient, day(25))["due"]] == ["month 1"]
    assert data["course"].kind == "pending"


def test_out_of_range_dose_is_flagged_with_its_reason(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=5, out_of_range_reason="agreed with PI")
    (row,) = panel(patient, day(1))["doses"]
    assert str(row.range_warning) == "5 mg/day is outside the adult start range (2–4 mg/day)."
    assert row.dose.out_of_range_reason == "agreed with PI"


def test_interacting_drugs_warn_while_taken(nurse):
    patient = enrol(nurse, start=START)
    con_med(patient, nurse, name="Voriconazole", indication="aspergillosis", day=5, stop_day=20, today=day(5))
    con_med(patient, nurse, name="Prednisone", dose_text="20 mg/day", indication="ITP taper", taper=True)
    assert [r.con_med.name for r in panel(patient, day(10))["interactions"]] == ["Voriconazole"]
    assert panel(patient, day(21))["interactions"] == []
    assert "grapefruit" in panel(patient, day(21))["grapefruit_advice"]


def test_course_flag_follows_the_response_at_month_3(nurse):
    responder = enrol(nurse, start=START, baseline=10)
    record(responder, nurse, "month3", day=84, platelets=120)
    assert panel(responder, day(84))["course"].kind == "continue"
    non_responder = enrol(nurse, start=START, baseline=10)
    record(non_responder, nurse, "month3", day=84, platelets=12)
    assert panel(non_responder, day(84))["course"].text == "No response at month 3 (NR): taper and stop per protocol."


def test_stop_shows_the_follow_up_end(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    sirolimus_stop(patient=patient, stop_date=day(90), reason="no response", user=nurse, today=day(90))
    data = panel(patient, day(91))
    assert (data["stopped_on"], data["follow_up_end"], data["due"]) == (day(90), day(118), [])


def _study(user, n):
    for i in range(n):
        patient = enrol(user, start=START)
        dose(patient, user, day=0, mg=2)
        trough(patient, user, day=7, ng_ml="9")
        con_med(patient, user, name="rifampicin" if i % 3 == 0 else "omeprazole", indication="x", day=1)
        dose(patient, user, day=10, mg=1, phase="adjustment")
        trough(patient, user, day=12, ng_ml="19.5" if i % 2 else "8")


@pytest.mark.parametrize("n", [4, 40])
def test_queries_do_not_grow_with_the_study(nurse, n, django_assert_num_queries):
    _study(nurse, n)
    patient = patient_detail(study_id="ITP-001")
    locks = casebook_locks(patient_id=patient.pk)  # the patient page reads the signatures once for every panel
    with django_assert_num_queries(4):
        dosing_panel(patient=patient, today=day(18), locks=locks)
    with django_assert_num_queries(9):  # + the off-study patients, left out of the list
        rows = drug_monitoring_list(today=day(18))
    assert len(rows) == n  # every patient: the change check of day 10 is due from day 17
    assert sum(1 for r in rows if r.to_review) == n // 2
    assert sum(1 for r in rows if r.interactions) == len(range(0, n, 3))


def test_the_list_leaves_out_patients_with_nothing_to_do(nurse):
    quiet = enrol(nurse, start=START)
    dose(quiet, nurse, day=0, mg=2)
    trough(quiet, nurse, day=7, ng_ml="9")
    assert drug_monitoring_list(today=day(10)) == []
    row = drug_monitoring_list(today=day(25))[0]
    assert (row.study_id, [d.reason for d in row.due], row.current_mg) == (quiet.study_id, ["month 1"], 2)


def test_a_level_followed_by_a_dose_change_is_no_longer_awaiting_a_decision(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    trough(patient, nurse, day=7, ng_ml="27.7")
    (row,) = panel(patient, day(7))["troughs"]
    assert (row.can_accept, row.awaiting_review, row.changed_since) == (True, True, None)
    assert str(row.suggestion_warning) == "0.5 mg/day is outside the adult adjustment range (1–4 mg/day)."
    assert len(drug_monitoring_list(today=day(7))[0].to_review) == 1
    dose(patient, nurse, day=9, mg=1, phase="adjustment")
    (row,) = panel(patient, day(9))["troughs"]
    assert (row.can_accept, row.can_dismiss, row.awaiting_review, row.changed_since) == (False, True, False, day(9))
    assert drug_monitoring_list(today=day(9)) == []  # nothing due before day 16, nothing to review


def test_no_interaction_warning_once_sirolimus_is_stopped(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    con_med(patient, nurse, name="Rifampicin", indication="tuberculosis", day=5)
    assert len(panel(patient, day(30))["interactions"]) == 1
    sirolimus_stop(patient=patient, stop_date=day(31), reason="AE", user=nurse, today=day(31))
    data = panel(patient, day(31))
    assert data["interactions"] == [] and data["con_meds"][0].interacts_as == "rifampin"
