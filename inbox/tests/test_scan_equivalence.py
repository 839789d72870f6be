"""The reminder scan at study scale writes the reminders the protocol's rules give patient by patient.

The scan's sources read all patients in a few queries and work each rule out once per distinct input
(safety.schedule.lab_slots, dosing.tdm.due_checks per regimen, one English reason per check). Here the same
study is read the plain way, as the scan did before issue 19's speed work: every patient, every panel and every
slot through the rules themselves (lab_status, due_checks, slot_status). Both must give the same rows (patient,
kind, due date, audience, params) on a generated study of a few hundred patients in every state: visits done,
missed, due and overdue, sirolimus stopped, withdrawn and off study, trough levels before and at steady state,
significant side effects, safety labs drawn, late or never.
"""

import json
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import translation

from benchmarks.study_data import build_study
from casebook.course import Course, courses
from dosing.due import (
    changes_by_patient,
    patient_troughs_due,
    side_effect_dates_by_patient,
    trough_dates_by_patient,
)
from dosing.tests.factories import trough
from inbox.models import Reminder
from inbox.scan import reminders_scan
from inbox.sources import reminder_candidates
from patients.models import Patient
from patients.selectors import off_study_dates
from safety.ctcae import SCHEDULED_PANELS
from safety.due import last_lab_dates
from safety.schedule import lab_status
from safety.services import LabInput
from safety.tests.builders import alt, event, lab
from visits.schedule import PROTOCOL_SCHEDULE, slot_status
from visits.selectors import visits_due

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 1)


def reference_rows(today: date) -> list[tuple]:
    """What is due on `today`, patient by patient, straight from the rule modules."""
    course = courses()
    off_study = off_study_dates()
    rows = []
    for d in visits_due(today=today):
        ends = course.get(d.patient_id, Course())
        visit_def = PROTOCOL_SCHEDULE.get(d.code)
        status = slot_status(target=d.target_date, earliest=d.earliest, latest=d.latest, done=False, today=today,
                             follow_up=bool(visit_def and visit_def.follow_up), stopped_on=ends.stopped_on,
                             off_study_on=ends.off_study_on)
        if status.open:
            rows.append((d.patient_id, "visit_due", d.target_date, "nurse",
                         {"visit": d.code, "closes": d.latest.isoformat()}))
    changes, levels, side_effects = changes_by_patient(), trough_dates_by_patient(), side_effect_dates_by_patient()
    last = last_lab_dates()
    with translation.override("en"):
        for patient in Patient.objects.order_by("pk"):
            if patient.pk not in off_study:
                for due in patient_troughs_due(patient=patient, changes=changes.get(patient.pk, []),
                                               trough_dates=levels.get(patient.pk, []), today=today,
                                               side_effects=side_effects.get(patient.pk, [])):
                    rows.append((patient.pk, "trough_due", due.due_date, "nurse",
                                 {"reason": due.reason, "overdue": due.overdue, "check": due.check,
                                  "check_params": due.check_params}))
            grouped: dict[tuple[str, date], list[str]] = {}
            stop = course.get(patient.pk, Course()).follow_up_from
            for panel in SCHEDULED_PANELS:
                status = lab_status(day0=patient.start_date, stop=stop, last_sample=last.get((patient.pk, panel)),
                                    today=today)
                if status.status in ("due", "overdue"):
                    grouped.setdefault((status.status, status.due_date), []).append(panel.value)
            for (status, due_date), panels in grouped.items():
                rows.append((patient.pk, f"lab_{status}", due_date, "nurse", {"panels": panels}))
    return rows


def comparable(rows) -> list[tuple]:
    return sorted((pid, kind, due, audience, json.dumps(params, sort_keys=True))
                  for pid, kind, due, audience, params in rows)


@pytest.fixture
def study(nurse, physician):
    patients = build_study(300, user=nurse, today=TODAY)
    for number, patient in enumerate(patients, start=1):
        if number % 37 == 0 or patient.start_date + timedelta(days=40) > TODAY:
            continue  # withdrawn ones and the recent ones keep only what build_study gave them
        if number % 4 == 1:  # a week-1 level before steady state (day 5, low: a repeat is due) or at it (day 8)
            trough(patient, nurse, day=5 if number % 8 == 1 else 8, ng_ml="3.5", today=TODAY)
        last_slot = patient.start_date + timedelta(days=(TODAY - patient.start_date).days // 14 * 14)
        if number % 12 == 2:  # every panel on the last slot's day
            lab(patient, nurse, on=last_slot, values=ALL_PANELS, today=TODAY)
        elif number % 12 == 8:  # only ALT, between two slots
            lab(patient, nurse, on=last_slot - timedelta(days=9), values=[alt(20)], today=TODAY)
        if number % 10 == 3:  # a significant side effect a few days ago asks for a level
            event(patient, physician, on=TODAY - timedelta(days=number % 9), grade=2, today=TODAY)
    return patients


ALL_PANELS = [alt(20), LabInput("total_cholesterol", D(4), "mmol/L"), LabInput("creatinine", D(70), "µmol/L")]


@pytest.mark.parametrize("offset", [0, 9, 30])
def test_the_scan_writes_what_the_rules_give_patient_by_patient(study, offset):
    today = TODAY + timedelta(days=offset)
    expected = comparable(reference_rows(today))
    assert len({row[:3] for row in expected}) == len(expected)  # no two candidates share a reminder's key
    assert {row[1] for row in expected} >= {"visit_due", "trough_due", "lab_due", "lab_overdue"}
    assert comparable(reminder_candidates(today=today)) == expected
    assert reminders_scan(today=today) == len(expected)
    assert comparable(Reminder.objects.values_list("patient_id", "kind", "due_date", "audience", "params")) == expected
