"""The facets other apps read through the declarations: the patient's course, what is due, the patient-page
panels and the study-report contributions, each gathered from the study's record types in their order."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from casebook.course import Course, course_of, courses
from casebook.due import due_items
from casebook.panels import ASIDE, LAST, MAIN, panels_by_place, patient_panels
from casebook.selectors import casebook_locks
from dosing.services import DoseValues, dose_change_record
from inbox.models import Reminder
from itp_trial.casebook import RECORD_TYPES
from patients.off_study import withdrawal_complete
from reports.selectors import declared_contributions
from tests.factories import enrol
from visits.services import rescue_record

START = date(2026, 3, 2)


def day(n: int) -> date:
    return START + timedelta(days=n)


@pytest.mark.parametrize(("course", "follow_up_from"), [
    (Course(), None),
    (Course(stopped_on=day(40)), day(40)),
    (Course(off_study_on=day(30)), day(30)),
    (Course(stopped_on=day(40), off_study_on=day(30)), day(30)),  # whichever came first
    (Course(stopped_on=day(20), off_study_on=day(30)), day(20)),
])
def test_follow_up_counts_from_the_first_end(course, follow_up_from):
    assert course.follow_up_from == follow_up_from


@pytest.mark.django_db
def test_the_course_joins_the_dose_stop_and_the_off_study_date(nurse, physician):
    stopped, withdrawn, running = (enrol(nurse, start=START, today=START) for _ in range(3))
    dose_change_record(patient=stopped, values=DoseValues(start_date=day(0), mg_per_day=D(2), phase="start"),
                       user=nurse, today=day(0))
    dose_change_record(patient=stopped, values=DoseValues(start_date=day(20), mg_per_day=D(0), phase="stop",
                                                          change_reason="remission"), user=nurse, today=day(20))
    withdrawal_complete(patient=stopped, off_study_date=day(25), off_study_reason="moved", user=physician,
                        today=day(25))
    withdrawal_complete(patient=withdrawn, off_study_date=day(30), off_study_reason="consent withdrawn",
                        user=physician, today=day(30))
    assert courses() == {stopped.pk: Course(stopped_on=day(20), off_study_on=day(25)),
                         withdrawn.pk: Course(off_study_on=day(30))}
    assert courses(patient_ids=[withdrawn.pk, running.pk]) == {withdrawn.pk: Course(off_study_on=day(30))}
    assert course_of(running.pk) == Course()


def test_the_declaring_types():
    """Which types declare which facet: a new source is a declaration, read by the same machinery."""
    declaring = {facet: [t.key for t in RECORD_TYPES if getattr(t, facet) is not None]
                 for facet in ("course", "due", "panel", "report")}
    assert declaring == {
        "course": ["dose", "withdrawal"],
        "due": ["visit", "trough", "lab_value"],
        "panel": ["visit", "rescue", "dose", "lab_sample"],
        "report": ["dose", "adverse_event"],
    }


@pytest.mark.django_db
def test_due_items_come_from_every_declared_source_as_reminder_kinds(nurse):
    enrol(nurse, start=START, today=START)
    items = due_items(today=day(7))  # week 1: the visit, the first trough level and the safety labs are due
    assert {item.topic for item in items} == {"visit", "trough", "labs"}
    assert {item.kind for item in items} <= set(Reminder.Kind.values)
    assert [item.topic for item in items] == sorted((item.topic for item in items),
                                                    key=["visit", "trough", "labs"].index)  # the types' order


@pytest.mark.django_db
def test_the_patient_page_panels_in_the_types_order(nurse):
    patient = enrol(nurse, start=START, today=START)
    without_rescue = patient_panels(patient=patient, today=day(7), locks=casebook_locks(patient_id=patient.pk),
                                    course=Course())
    rescue_record(patient=patient, given_on=day(5), kind="ivig", details="", user=nurse, today=day(7))
    panels = patient_panels(patient=patient, today=day(7), locks=casebook_locks(patient_id=patient.pk),
                            course=Course())
    by_place = panels_by_place(panels)
    assert {place: [p.template for p in found] for place, found in by_place.items()} == {
        ASIDE: ["visits/schedule_panel.html"],
        MAIN: ["visits/visits_panel.html", "dosing/panel.html", "safety/panel.html"],
        LAST: ["visits/rescue_panel.html"],
    }
    assert "visits/rescue_panel.html" not in [p.template for p in without_rescue]  # no rescue, no card
    assert [row.slot.code for row in by_place[ASIDE][0].context["schedule"]][:2] == ["baseline", "week1"]


@pytest.mark.django_db
def test_the_study_report_contributions_keep_their_keys_and_order():
    assert list(declared_contributions()) == ["drug_monitoring", "dose_ranges", "adverse_events"]
