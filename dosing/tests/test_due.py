"""What is due: the contract the reminder scan uses (dosing.due), across patients, in fixed queries."""

from datetime import date, timedelta

import pytest

from dosing.due import TroughDue, sirolimus_stop_dates, troughs_due
from dosing.tests.factories import dose, trough
from tests.factories import enrol

START = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def day(n: int) -> date:
    return START + timedelta(days=n)


def test_week1_is_due_from_its_window_and_overdue_after_it(nurse):
    patient = enrol(nurse, start=START)
    assert troughs_due(today=day(4)) == []
    assert troughs_due(today=day(5)) == [
        TroughDue(patient.pk, patient.study_id, day(5), "week_1", overdue=False, due_by=day(9))]
    (late,) = troughs_due(today=day(10))
    assert (late.reason, late.overdue) == ("week 1", True)


def test_a_sample_satisfies_the_check_and_month1_follows(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    trough(patient, nurse, day=7, ng_ml="8.0")
    assert troughs_due(today=day(10)) == []
    (month1,) = troughs_due(today=day(25))
    assert (month1.reason, month1.due_date, month1.overdue) == ("month 1", day(25), False)


def test_missed_week1_lapses_when_month1_is_due(nurse):
    enrol(nurse, start=START)
    assert [d.reason for d in troughs_due(today=day(24))] == ["week 1"]
    assert [d.reason for d in troughs_due(today=day(25))] == ["month 1"]


def test_dose_change_brings_a_check_7_to_14_days_after(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    trough(patient, nurse, day=7, ng_ml="19.5")
    trough(patient, nurse, day=28, ng_ml="16.0")
    dose(patient, nurse, day=40, mg=1, phase="adjustment")
    assert troughs_due(today=day(46)) == []
    (check,) = troughs_due(today=day(47))
    assert check.reason == f"7-14 days after the dose change of {day(40).isoformat()}"
    assert (check.due_date, check.overdue) == (day(47), False)
    assert troughs_due(today=day(55))[0].overdue is True
    trough(patient, nurse, day=50, ng_ml="9.0")
    assert troughs_due(today=day(55)) == []


def test_a_sample_before_steady_state_does_not_satisfy_the_change_check(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    trough(patient, nurse, day=28, ng_ml="9.0")
    dose(patient, nurse, day=40, mg=1, phase="adjustment")
    trough(patient, nurse, day=43, ng_ml="6.0")
    assert [d.reason for d in troughs_due(today=day(48))] == [
        f"7-14 days after the dose change of {day(40).isoformat()}"]


def test_nothing_is_due_after_a_stop_and_stop_dates_are_reported(nurse):
    stopped = enrol(nurse, start=START)
    dose(stopped, nurse, day=0, mg=2)
    dose(stopped, nurse, day=6, mg=0)
    running = enrol(nurse, start=START)
    dose(running, nurse, day=0, mg=2)
    assert [d.study_id for d in troughs_due(today=day(8))] == [running.study_id]
    assert sirolimus_stop_dates(patient_ids=[stopped.pk, running.pk]) == {stopped.pk: day(6)}
    assert sirolimus_stop_dates(patient_ids=[running.pk]) == {}


def test_restart_after_a_stop_is_not_stopped(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    dose(patient, nurse, day=10, mg=0)
    dose(patient, nurse, day=20, mg=2, phase="start")
    assert sirolimus_stop_dates(patient_ids=[patient.pk]) == {}
    assert [d.reason for d in troughs_due(today=day(27))] == [
        "month 1", f"7-14 days after the dose change of {day(20).isoformat()}"]


def _patients(user, n: int) -> None:
    for i in range(n):
        patient = enrol(user, start=START)
        dose(patient, user, day=0, mg=2)
        if i % 2:
            trough(patient, user, day=7, ng_ml="12.0")
        if i % 3 == 0:
            dose(patient, user, day=8, mg=1, phase="adjustment")


@pytest.mark.parametrize("n", [10, 100])
def test_troughs_due_takes_the_same_queries_for_10_and_100_patients(nurse, n, django_assert_num_queries):
    _patients(nurse, n)
    with django_assert_num_queries(4):  # patients, doses, troughs, side effects
        due = troughs_due(today=day(16))
    expected = sum(1 for i in range(n) if i % 2 == 0) + sum(1 for i in range(n) if i % 3 == 0)
    assert len(due) == expected  # week 1 overdue for the even ones, a change check due for every third
    with django_assert_num_queries(1):
        sirolimus_stop_dates(patient_ids=[d.patient_id for d in due])
