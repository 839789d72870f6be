"""Reminders resolve themselves when their cause is done, and say by whom (inbox.resolution).

Before: a "week 2 visit due" stayed new after the visit was recorded, "confirm or dismiss" after the proposals
were decided, "withdrawal to complete" after off study; only "Mark read" took them off the badge."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from dosing.services import sirolimus_stop
from dosing.tests.factories import dose, trough
from inbox.models import Reminder
from inbox.scan import reminders_scan
from inbox.selectors import inbox, unread_count
from itp_trial.clock import study_date, study_today
from patients.off_study import withdrawal_complete
from safety.models import AeProposal
from safety.services import AeInput, LabInput, ae_proposal_confirm, ae_proposal_dismiss
from safety.tests.builders import alt, event, lab
from tests.factories import enrol, record

pytestmark = pytest.mark.django_db
DAY0 = date(2026, 3, 2)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def all_panels() -> list[LabInput]:
    return [alt(20), LabInput("total_cholesterol", D(4), "mmol/L"), LabInput("creatinine", D(70), "µmol/L")]


def resolution_of(user, kind: str, due_date: date):
    reminder = next(r for r in inbox(user=user) if r.kind == kind and r.due_date == due_date)
    return reminder.resolution


@pytest.fixture
def patient(nurse):
    patient = enrol(nurse, start=DAY0)
    dose(patient, nurse, day=0, mg=2)
    lab(patient, nurse, on=DAY0, values=all_panels())
    return patient


def test_a_visit_reminder_is_resolved_by_the_visit_and_names_who_recorded_it(patient, nurse, users):
    reminders_scan(today=day(13))
    assert resolution_of(nurse, "visit_due", day(14)) is None
    before = unread_count(user=nurse)
    other = users["nurse"].__class__.objects.create_user("nurse2", first_name="Nina", last_name="Second")
    record(patient, other, "week2", day=14, platelets=40)
    done = resolution_of(nurse, "visit_due", day(14))
    assert (done.how, done.by, study_date(done.on)) == ("visit_recorded", other, study_today())  # the study's day
    assert unread_count(user=nurse) == before - 1
    assert next(r for r in inbox(user=nurse) if r.kind == "visit_due") == inbox(user=nurse)[-1]  # done: last


def test_lab_and_trough_reminders_are_resolved_by_the_samples(patient, nurse):
    reminders_scan(today=day(12))
    assert {r.kind for r in Reminder.objects.all()} >= {"lab_due", "trough_due"}
    lab(patient, nurse, on=day(12), values=all_panels()[:2])
    assert resolution_of(nurse, "lab_due", day(14)) is None  # kidney still missing
    lab(patient, nurse, on=day(13), values=all_panels()[2:])
    assert resolution_of(nurse, "lab_due", day(14)).how == "labs_taken"
    week1 = next(r for r in Reminder.objects.filter(kind="trough_due"))
    trough(patient, nurse, day=week1.due_date.toordinal() - DAY0.toordinal(), ng_ml="9.5", today=day(12))
    done = resolution_of(nurse, "trough_due", week1.due_date)
    assert (done.how, done.by) == ("trough_taken", nurse)


def test_proposals_decided_resolve_the_physicians_reminder(patient, nurse, physician):
    lab(patient, nurse, on=day(14), values=[alt(100), LabInput("creatinine", D(200), "µmol/L", uln=D(110))])
    proposals = list(AeProposal.objects.order_by("pk"))
    assert len(proposals) == 2 and unread_count(user=physician) == 1
    ae_proposal_dismiss(proposal=proposals[0], reason="haemolysed", user=physician, today=day(15))
    assert resolution_of(physician, "ae_proposed", day(14)) is None  # one still to decide
    ae_proposal_confirm(proposal=proposals[1], user=physician, today=day(15),
                        data=AeInput(term="", grade=1, onset_date=day(14), relation="possible"))
    done = resolution_of(physician, "ae_proposed", day(14))
    assert (done.how, done.by, done.on) == ("proposals_decided", physician, day(15))
    assert unread_count(user=physician) == 0


def test_off_study_resolves_the_withdrawal_visits_and_troughs_but_not_the_safety_labs(patient, nurse, physician):
    event(patient, nurse, on=day(10), grade=3)  # withdrawal reminder for the physicians
    reminders_scan(today=day(12))
    withdrawal_complete(patient=patient, off_study_date=day(12), off_study_reason="grade 3 diarrhoea",
                        user=physician, today=day(12))
    for kind in ("withdrawal",):
        assert resolution_of(physician, kind, day(10)).how == "off_study"
    by_kind = {r.kind: r.resolution for r in inbox(user=nurse)}
    assert by_kind["visit_due"].how == by_kind["trough_due"].how == "off_study"
    assert by_kind["visit_due"].by == physician
    assert by_kind["lab_due"] is None  # the safety follow-up goes on
    # and the scan raises no new visit or trough reminder, only the labs of the 28-day follow-up
    Reminder.objects.all().delete()
    for offset in range(13, 60):
        reminders_scan(today=day(offset))
    assert sorted({r.kind for r in Reminder.objects.all()}) == ["lab_due", "lab_overdue"]
    assert max(Reminder.objects.values_list("due_date", flat=True)) <= day(12 + 28)


def test_a_stop_resolves_an_open_trough_reminder(patient, nurse):
    reminders_scan(today=day(6))
    sirolimus_stop(patient=patient, stop_date=day(6), reason="intolerance", user=nurse, today=day(6))
    assert resolution_of(nurse, "trough_due", day(5)).how == "sirolimus_stopped"


def test_the_inbox_page_shows_who_resolved_it(client, patient, nurse):
    reminders_scan(today=day(13))
    record(patient, nurse, "week2", day=14, platelets=40)
    client.force_login(nurse)
    page = client.get(reverse("inbox:inbox")).content.decode()
    assert 'data-resolved="visit_recorded"' in page
    assert f"visit recorded by {nurse.get_full_name()}" in page


def test_the_inbox_takes_the_same_queries_for_few_and_many_reminders(patient, nurse, django_assert_max_num_queries):
    reminders_scan(today=day(13))
    with django_assert_max_num_queries(12):
        unread_count(user=nurse)
    for _ in range(20):
        other = enrol(nurse, start=DAY0)
        record(other, nurse, "week1", day=7, platelets=40)
    reminders_scan(today=day(13))
    with django_assert_max_num_queries(12):
        assert unread_count(user=nurse) > 20
