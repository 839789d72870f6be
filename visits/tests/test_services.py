from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests.factories import enrol, record
from visits.models import ResponseSummary, Visit
from visits.services import VisitValues, rescue_record, visit_record, visit_update

START = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def summary(patient) -> ResponseSummary:
    return ResponseSummary.objects.get(patient=patient)


def test_enrolment_creates_baseline_and_summary(nurse):
    patient = enrol(nurse, start=START, baseline=12)
    baseline = patient.visits.get()
    assert baseline.code == "baseline"
    assert baseline.category == "NR"
    assert summary(patient).best_response == "NE"  # no post-baseline count yet


def test_week1_response_is_computed_on_save(nurse):
    patient = enrol(nurse, start=START, baseline=12)
    visit = record(patient, nurse, "week1", day=7, platelets=31)
    assert visit.category == "R"
    s = summary(patient)
    assert (s.current_status, s.best_response, s.time_to_response_days, s.confirmed) == ("R", "R", 7, False)


def test_confirmation_after_seven_days_and_relapse(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    record(patient, nurse, "week1", day=7, platelets=45)
    record(patient, nurse, "week2", day=14, platelets=50)
    s = summary(patient)
    assert (s.confirmed, s.confirmed_category, s.response_date) == (True, "R", START + timedelta(days=7))
    record(patient, nurse, "week3", day=21, platelets=12)
    record(patient, nurse, "month1", day=28, platelets=14)
    s = summary(patient)
    assert (s.relapsed, s.relapse_date, s.current_status) == (True, START + timedelta(days=21), "NR")


def test_editing_the_baseline_recomputes_every_visit(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    week1 = record(patient, nurse, "week1", day=7, platelets=35)
    assert week1.category == "R"
    baseline = patient.visits.get(slot__code="baseline")
    visit_update(visit=baseline, user=nurse, reason="transcription error", today=START + timedelta(days=8),
                 version=baseline.version,
                 values=VisitValues(visit_date=START, platelets=Decimal(20), bleeding_grade=0))
    week1.refresh_from_db()
    assert week1.category == "NR"  # 35 < 2 x 20
    assert summary(patient).best_response == "NR"


def test_bleeding_makes_a_high_count_no_response(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    assert record(patient, nurse, "week1", day=7, platelets=200, grade=1).category == "NR"
    assert record(patient, nurse, "week2", day=14, platelets=200, grade=0).category == "CR"


@override_settings(RESPONSE_CRITERIA="iwg")
def test_iwg_switch_counts_exactly_30_as_response(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    assert record(patient, nurse, "week1", day=7, platelets=30).category == "R"


def test_study_wording_does_not_count_exactly_30(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    assert record(patient, nurse, "week1", day=7, platelets=30).category == "NR"


def test_edit_requires_a_reason_and_keeps_the_saved_values(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    visit = record(patient, nurse, "week1", day=7, platelets=45)
    with pytest.raises(ValidationError) as error:
        visit_update(visit=visit, version=visit.version, user=nurse, reason="  ", today=START + timedelta(days=8),
                     values=VisitValues(visit_date=visit.visit_date, platelets=Decimal(5), bleeding_grade=0))
    assert "reason" in error.value.message_dict
    visit.refresh_from_db()
    assert visit.platelets == Decimal(45)
    assert visit.history.count() == 1


def test_edit_is_audited_with_user_and_reason(nurse, physician):
    patient = enrol(nurse, start=START, baseline=10)
    visit = record(patient, nurse, "week1", day=7, platelets=45)
    visit_update(visit=visit, user=physician, reason="lab corrected value", today=START + timedelta(days=8),
                 version=visit.version,
                 values=VisitValues(visit_date=visit.visit_date, platelets=Decimal(54), bleeding_grade=0))
    latest = visit.history.order_by("-history_date").first()
    assert (latest.history_user, latest.history_change_reason, latest.platelets) == (
        physician, "lab corrected value", Decimal(54))


@pytest.mark.parametrize(
    "field, platelets, visit_day, message",
    [
        ("platelets", Decimal("1500.5"), 7, "Must be between 0 and 1500."),
        ("visit_date", Decimal(50), 30, "Cannot be in the future (today is 2026-03-10)."),
    ],
    ids=["platelets-too-high", "future-date"],
)
def test_bad_input_is_refused_with_a_field_message_and_nothing_saved(nurse, field, platelets, visit_day, message):
    patient = enrol(nurse, start=START, baseline=10)
    with pytest.raises(ValidationError) as error:
        visit_record(patient=patient, code="week1", user=nurse, today=START + timedelta(days=8),
                     values=VisitValues(visit_date=START + timedelta(days=visit_day), platelets=platelets,
                                        bleeding_grade=0))
    assert error.value.message_dict[field] == [message]
    assert patient.visits.count() == 1


def test_a_slot_is_recorded_once(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    record(patient, nurse, "week1", day=7, platelets=45)
    with pytest.raises(ValidationError, match="already recorded"):
        record(patient, nurse, "week1", day=8, platelets=46)


@pytest.mark.parametrize("day, deviation", [(4, -1), (5, 0), (9, 0), (10, 1)],
                         ids=["one-early", "window-opens", "window-closes", "one-late"])
def test_outside_the_window_is_saved_with_a_warning(nurse, day, deviation):
    patient = enrol(nurse, start=START, baseline=10)
    visit = record(patient, nurse, "week1", day=day, platelets=45)
    assert visit.out_of_window_days == deviation


def test_unscheduled_visits_are_ordered_by_date_and_count(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    record(patient, nurse, "unscheduled", day=3, platelets=40)
    record(patient, nurse, "week1", day=7, platelets=45)
    record(patient, nurse, "unscheduled", day=10, platelets=50)
    assert [v.code for v in patient.visits.order_by("visit_date")] == ["baseline", "unscheduled", "week1",
                                                                       "unscheduled"]
    assert summary(patient).confirmed is True  # day 3 and day 10 are 7 days apart
    assert summary(patient).response_date == START + timedelta(days=3)


def test_rescue_therapy_flags_counts_and_blocks_confirmation(nurse):
    patient = enrol(nurse, start=START, baseline=10)
    rescue_record(patient=patient, given_on=START + timedelta(days=5), kind="ivig", details="1 g/kg", user=nurse,
                  today=START + timedelta(days=5))
    week1 = record(patient, nurse, "week1", day=7, platelets=120)
    week2 = record(patient, nurse, "week2", day=14, platelets=130)
    assert (week1.in_rescue_window, week2.in_rescue_window) == (True, True)
    assert summary(patient).confirmed is False
    assert summary(patient).rescue_flagged == 2


def test_visits_are_never_hard_deleted(nurse):
    from audit.models import HardDeleteRefused

    patient = enrol(nurse, start=START, baseline=10)
    with pytest.raises(HardDeleteRefused):
        patient.visits.get().delete()
    with pytest.raises(HardDeleteRefused):
        Visit.objects.all().delete()
    assert Visit.objects.count() == 1


def test_services_use_todays_date_by_default(nurse):
    with time_machine.travel(date(2026, 3, 10), tick=False):
        patient = enrol(nurse, start=START, baseline=10, today=None)
        with pytest.raises(ValidationError):
            visit_record(patient=patient, code="week1", user=nurse,
                         values=VisitValues(visit_date=date(2026, 3, 11), platelets=Decimal(40), bleeding_grade=0))
        visit = visit_record(patient=patient, code="week1", user=nurse,
                             values=VisitValues(visit_date=date(2026, 3, 10), platelets=Decimal(40), bleeding_grade=0))
    assert visit.out_of_window_days == 0


def test_recompute_command_applies_a_changed_protocol(nurse):
    from io import StringIO

    from django.core.management import call_command

    patient = enrol(nurse, start=START, baseline=10)
    visit = record(patient, nurse, "week1", day=7, platelets=30)
    assert visit.category == "NR"
    with override_settings(RESPONSE_CRITERIA="iwg"):
        out = StringIO()
        call_command("recompute_responses", stdout=out)
    visit.refresh_from_db()
    assert (visit.category, summary(patient).current_status, out.getvalue().strip()) == (
        "R", "R", "recomputed 1 patient(s)")
