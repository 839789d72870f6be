"""Services that write the regimen, levels, decisions and con-meds: rules, refusals and the audit trail."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.history import history_rows
from dosing.models import DoseChange, Trough
from dosing.selectors import trough_assessment
from dosing.services import (
    ConMedValues,
    DoseValues,
    TroughValues,
    con_med_update,
    dose_change_record,
    dose_change_update,
    sirolimus_stop,
    trough_suggestion_accept,
    trough_suggestion_dismiss,
    trough_update,
)
from dosing.tests.factories import con_med, dose, trough
from tests.factories import enrol

START = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def day(n: int) -> date:
    return START + timedelta(days=n)


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=START)


# --- regimen ----------------------------------------------------------------------------------------------------

def test_the_first_dose_after_day_0_is_a_gap(patient, nurse):
    with pytest.raises(ValidationError) as excinfo:
        dose(patient, nurse, day=3, mg=2, phase="start")
    assert errors(excinfo)["start_date"][0].startswith("Gap: the regimen must begin with the day-0 dose")
    assert not DoseChange.objects.exists()


def test_a_dose_before_day_0_is_an_overlap(patient, nurse):
    dose(patient, nurse, day=0, mg=2)
    with pytest.raises(ValidationError) as excinfo:
        dose(patient, nurse, day=-2, mg=2, phase="start", today=day(5))
    assert errors(excinfo)["start_date"][0].startswith("Overlap")


def test_two_changes_on_the_same_date_are_refused(patient, nurse):
    dose(patient, nurse, day=0, mg=2)
    dose(patient, nurse, day=10, mg=1, phase="adjustment")
    with pytest.raises(ValidationError) as excinfo:
        dose(patient, nurse, day=10, mg="1.5", phase="adjustment")
    assert "another dose change already starts on 2026-03-12" in errors(excinfo)["start_date"][0]
    assert patient.dose_changes.count() == 2


def test_a_correction_that_moves_the_day_0_dose_is_refused_and_nothing_is_lost(patient, nurse, physician):
    first = dose(patient, nurse, day=0, mg=2)
    with pytest.raises(ValidationError) as excinfo:
        dose_change_update(dose=first, version=first.version, user=physician, reason="typo", today=day(5),
                           values=DoseValues(start_date=day(1), mg_per_day=Decimal(2), phase="start"))
    assert "Gap" in errors(excinfo)["start_date"][0]
    first.refresh_from_db()
    assert first.start_date == START and first.history.count() == 1


def test_a_change_is_in_force_until_the_next_one(patient, nurse):
    dose(patient, nurse, day=0, mg=2)
    dose(patient, nurse, day=20, mg=1, phase="adjustment")
    dose(patient, nurse, day=10, mg="1.5", phase="adjustment", today=day(21))  # inserted between: no gap
    assert list(patient.dose_changes.values_list("mg_per_day", flat=True)) == [2, Decimal("1.5"), 1]


def test_a_future_dose_is_refused(patient, nurse):
    with pytest.raises(ValidationError) as excinfo:
        dose(patient, nurse, day=0, mg=2, today=day(-1))
    assert "future" in errors(excinfo)["start_date"][0]


# --- protocol range ---------------------------------------------------------------------------------------------

def test_a_dose_outside_the_range_needs_a_reason(patient, nurse):
    with pytest.raises(ValidationError) as excinfo:
        dose(patient, nurse, day=0, mg=5)
    assert errors(excinfo)["out_of_range_reason"] == [
        "5 mg/day is outside the adult start range (2–4 mg/day). It can be saved only with a reason."]
    saved = dose(patient, nurse, day=0, mg=5, out_of_range_reason="loading dose agreed with the PI")
    assert saved.out_of_range_reason == "loading dose agreed with the PI"


def test_a_reason_given_for_a_dose_inside_the_range_is_not_kept(patient, nurse):
    saved = dose(patient, nurse, day=0, mg=2, out_of_range_reason="not needed")
    assert saved.out_of_range_reason == ""


def test_a_childs_range_applies_until_the_18th_birthday(nurse):
    teen = enrol(nurse, start=START, birth=date(2008, 3, 12))  # 18 on day 10
    dose(teen, nurse, day=0, mg=2)  # child start range 1–2
    with pytest.raises(ValidationError):
        dose(teen, nurse, day=9, mg=2, phase="maintenance")  # child maintenance 0.5–1
    dose(teen, nurse, day=10, mg=2, phase="maintenance")  # adult maintenance 1–2 from the birthday
    assert teen.dose_changes.count() == 2


def test_a_stop_must_be_zero_and_zero_must_be_a_stop(patient, nurse):
    dose(patient, nurse, day=0, mg=2)
    with pytest.raises(ValidationError) as excinfo:
        dose(patient, nurse, day=5, mg=0, phase="taper")
    assert "phase" in errors(excinfo)


# --- edits and audit --------------------------------------------------------------------------------------------

def test_edits_need_a_reason_and_history_records_user_and_reason(patient, nurse, physician):
    first = dose(patient, nurse, day=0, mg=2)
    values = DoseValues(start_date=START, mg_per_day=Decimal(3), phase="start")
    with pytest.raises(ValidationError) as excinfo:
        dose_change_update(dose=first, version=first.version, values=values, user=physician, reason=" ", today=day(1))
    assert "reason" in errors(excinfo)
    dose_change_update(dose=first, values=values, user=physician, reason="prescription read wrongly", today=day(1),
                       version=first.version)
    latest = first.history.order_by("-history_date").first()
    assert (latest.history_user, latest.history_change_reason) == (physician, "prescription read wrongly")
    (row, created) = history_rows(first)  # one changed field (the prescriber is kept), then the creation
    assert (row.field, row.old, row.new, row.who) == ("dose (mg/day)", "2.00", "3.00", physician.get_full_name())
    assert (created.action, created.who) == ("created", nurse.get_full_name())


def test_prescriber_defaults_to_the_user(patient, nurse):
    assert dose(patient, nurse, day=0, mg=2).prescribed_by == nurse.get_full_name()


def test_trough_and_con_med_corrections_are_audited(patient, nurse, physician):
    level = trough(patient, nurse, day=7, ng_ml="8.0")
    trough_update(trough=level, version=level.version, user=physician, reason="lab corrected", today=day(8),
                  values=TroughValues(sample_date=day(7), ng_ml=Decimal("8.4")))
    assert level.history.order_by("-history_date").first().history_change_reason == "lab corrected"
    med = con_med(patient, nurse, name="Prednisone", dose_text="20 mg/day", taper=True)
    with pytest.raises(ValidationError) as excinfo:
        con_med_update(con_med=med, version=med.version, user=physician, reason="stopped", today=day(8),
                       values=ConMedValues(name="Prednisone", start_date=START, stop_date=day(-1), indication="ITP"))
    assert "stop_date" in errors(excinfo)
    med.refresh_from_db()
    assert med.stop_date is None


def test_a_trough_in_the_future_or_before_day_0_is_refused(patient, nurse):
    with pytest.raises(ValidationError):
        trough(patient, nurse, day=5, ng_ml="8", today=day(4))
    with pytest.raises(ValidationError):
        trough(patient, nurse, day=-1, ng_ml="8")


# --- accept / dismiss -------------------------------------------------------------------------------------------

def test_accepting_the_suggestion_changes_the_dose_in_one_audited_step(patient, nurse, physician):
    dose(patient, nurse, day=0, mg=2)
    level = trough(patient, nurse, day=7, ng_ml="19.5")
    new = trough_suggestion_accept(trough=level, user=physician, start_date=day(8), today=day(8))
    assert (new.mg_per_day, new.phase, new.start_date, new.prescribed_by) == (
        Decimal("1.0"), "adjustment", day(8), physician.get_full_name())
    assert new.change_reason == "Trough 19.5 ng/mL on 2026-03-09: 2 mg × 10 / 19.5 = 1.03 → 1.0 mg/day"
    level.refresh_from_db()
    assert (level.review, level.reviewed_by, level.resulting_dose) == ("accepted", physician, new)
    assert new.history.get().history_user == physician
    assert level.history.order_by("-history_date").first().history_change_reason.startswith("Suggestion accepted")
    with pytest.raises(ValidationError) as excinfo:
        trough_suggestion_accept(trough=level, user=physician, today=day(8))
    assert "already reviewed" in errors(excinfo)["review"][0]


def test_a_change_on_the_sample_day_follows_the_level_and_it_keeps_its_suggestion(patient, nurse, physician):
    dose(patient, nurse, day=0, mg=2)
    level = trough(patient, nurse, day=7, ng_ml="19.5")
    new = trough_suggestion_accept(trough=level, user=physician, start_date=day(7), today=day(7))
    assert new.start_date == day(7)
    row = trough_assessment(trough=level)
    assert (row.dose_in_force.mg_per_day, row.suggestion.mg_per_day) == (2, Decimal("1.0"))


def test_an_out_of_range_suggestion_needs_a_reason_to_accept(patient, nurse, physician):
    dose(patient, nurse, day=0, mg=2)
    level = trough(patient, nurse, day=7, ng_ml="27.7")  # → 0.5 mg, below the adult adjustment range
    with pytest.raises(ValidationError) as excinfo:
        trough_suggestion_accept(trough=level, user=physician, start_date=day(8), today=day(8))
    assert "out_of_range_reason" in errors(excinfo)
    level.refresh_from_db()
    assert level.review == "" and patient.dose_changes.count() == 1  # nothing half-written
    new = trough_suggestion_accept(trough=level, user=physician, start_date=day(8), today=day(8),
                                   out_of_range_reason="level very high")
    assert new.mg_per_day == Decimal("0.5")


def test_no_suggestion_to_accept_when_the_dose_changed_6_days_before(patient, nurse, physician):
    dose(patient, nurse, day=0, mg=2)
    dose(patient, nurse, day=10, mg=3, phase="adjustment")
    level = trough(patient, nurse, day=16, ng_ml="19.5")
    with pytest.raises(ValidationError) as excinfo:
        trough_suggestion_accept(trough=level, user=physician, today=day(17))
    assert "changed 6 days before" in errors(excinfo)["review"][0]
    level7 = trough(patient, nurse, day=17, ng_ml="19.5")
    assert trough_suggestion_accept(trough=level7, user=physician, today=day(17)).mg_per_day == Decimal("1.5")


def test_accepting_after_a_later_change_is_refused(patient, nurse, physician):
    dose(patient, nurse, day=0, mg=2)
    level = trough(patient, nurse, day=7, ng_ml="19.5")
    dose(patient, nurse, day=9, mg="1.5", phase="adjustment")
    with pytest.raises(ValidationError) as excinfo:
        trough_suggestion_accept(trough=level, user=physician, today=day(10))
    assert "already changed on 2026-03-11" in errors(excinfo)["review"][0]


def test_dismissing_needs_a_reason_and_keeps_the_dose(patient, nurse, physician):
    dose(patient, nurse, day=0, mg=2)
    level = trough(patient, nurse, day=7, ng_ml="19.5")
    with pytest.raises(ValidationError) as excinfo:
        trough_suggestion_dismiss(trough=level, reason="  ", user=physician)
    assert "reason" in errors(excinfo)
    trough_suggestion_dismiss(trough=level, reason="sample drawn 2 h after the dose", user=physician)
    level.refresh_from_db()
    assert (level.review, level.review_reason, level.reviewed_by) == (
        "dismissed", "sample drawn 2 h after the dose", physician)
    assert patient.dose_changes.count() == 1
    assert Trough.history.filter(id=level.pk, history_user=physician).exists()


# --- stop -------------------------------------------------------------------------------------------------------

def test_stopping_records_date_and_reason(patient, nurse):
    dose(patient, nurse, day=0, mg=2)
    with pytest.raises(ValidationError) as excinfo:
        sirolimus_stop(patient=patient, stop_date=day(90), reason="", user=nurse, today=day(90))
    assert "reason" in errors(excinfo)
    stop = sirolimus_stop(patient=patient, stop_date=day(90), reason="no response at month 3", user=nurse,
                          today=day(90))
    assert (stop.mg_per_day, stop.phase, stop.change_reason) == (0, "stop", "no response at month 3")
    with pytest.raises(ValidationError) as excinfo:
        sirolimus_stop(patient=patient, stop_date=day(95), reason="again", user=nurse, today=day(95))
    assert "already stopped" in errors(excinfo)["stop_date"][0]


def test_a_stop_before_the_last_change_is_refused(patient, nurse):
    dose(patient, nurse, day=0, mg=2)
    dose(patient, nurse, day=30, mg=1, phase="adjustment")
    with pytest.raises(ValidationError) as excinfo:
        sirolimus_stop(patient=patient, stop_date=day(20), reason="AE", user=nurse, today=day(40))
    assert "after the last dose change" in errors(excinfo)["stop_date"][0]


def test_a_dose_that_does_not_fit_the_column_is_refused_by_the_model(patient, nurse):
    with pytest.raises(ValidationError) as excinfo:
        dose_change_record(patient=patient, user=nurse, today=START, values=DoseValues(
            start_date=START, mg_per_day=Decimal(25), phase="start", out_of_range_reason="x"))
    assert "mg_per_day" in errors(excinfo)
