"""Automatic queries: raised once per cause by the system account, closed when the cause is gone."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from dosing.tests.factories import dose, trough
from monitoring.models import MessageKind, Query, QueryStatus
from monitoring.services import automatic_queries_sync, query_close
from monitoring.system import USERNAME
from tests.factories import enrol, record
from visits.models import Visit
from visits.services import VisitValues, visit_update

START = date(2026, 3, 2)
TODAY = START + timedelta(days=40)
pytestmark = pytest.mark.django_db


def open_causes() -> set[str]:
    return set(Query.objects.exclude(cause=None).exclude(status=QueryStatus.CLOSED).values_list("rule", flat=True))


def correct(visit, user, **values):
    current = {name: getattr(visit, name) for name in ("visit_date", "platelets", "bleeding_grade")}
    visit_update(visit=visit, values=VisitValues(**{**current, **values}), user=user, reason="corrected",
                 version=visit.version, today=TODAY)


@pytest.mark.parametrize("make, rule", [
    (lambda p, u: record(p, u, "week2", day=20, platelets=40, today=TODAY), "visit_window"),
    (lambda p, u: record(p, u, "week1", day=7, platelets=1200, today=TODAY), "platelets_high"),
    (lambda p, u: trough(p, u, day=10, ng_ml="55"), "trough_high"),
    (lambda p, u: record(p, u, "week1", day=7, platelets=1000, today=TODAY), None),  # the limit itself: plausible
    (lambda p, u: trough(p, u, day=10, ng_ml="50"), None),
], ids=["out-of-window", "platelets-over-1000", "trough-over-50", "platelets-1000", "trough-50"])
def test_each_rule_raises_its_query(nurse, make, rule):
    patient = enrol(nurse, start=START, today=TODAY)
    make(patient, nurse)
    automatic_queries_sync()
    assert open_causes() == ({rule} if rule else set())


def test_washout_acknowledged_and_missing_bleeding(nurse):
    patient = enrol(nurse, start=START, today=TODAY, acknowledged=True)
    Visit.objects.filter(patient=patient).update(bleeding_grade=None)  # as an import leaves it
    automatic_queries_sync(patient_ids=[patient.pk])
    assert open_causes() == {"washout", "bleeding_missing"}


def test_dose_outside_the_range_saved_with_a_reason(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    dose(patient, physician, day=0, mg="2")
    automatic_queries_sync()
    assert open_causes() == set()
    dose(patient, physician, day=14, mg="9", out_of_range_reason="decided at the ward round")
    automatic_queries_sync()
    assert open_causes() == {"dose_range"}


def test_idempotent_closed_when_the_cause_goes_and_reopened_when_it_returns(nurse):
    patient = enrol(nurse, start=START, today=TODAY)
    visit = record(patient, nurse, "week1", day=7, platelets=1200, today=TODAY)
    assert automatic_queries_sync().raised == 1
    assert automatic_queries_sync().raised == 0  # once per cause
    query = Query.objects.get(rule="platelets_high")
    assert (query.raised_by.username, query.field, query.record_id) == (USERNAME, "platelets", visit.pk)
    correct(visit, nurse, platelets=Decimal(120))
    assert automatic_queries_sync().closed == 1
    query.refresh_from_db()
    assert query.status == QueryStatus.CLOSED
    assert query.messages.last().kind == MessageKind.CLOSE and query.messages.last().author.username == USERNAME
    visit.refresh_from_db()
    correct(visit, nurse, platelets=Decimal(1300))
    assert automatic_queries_sync().reopened == 1
    assert Query.objects.filter(rule="platelets_high").count() == 1


def test_a_query_a_monitor_closed_stays_closed(nurse, monitor):
    patient = enrol(nurse, start=START, today=TODAY)
    record(patient, nurse, "week1", day=7, platelets=1200, today=TODAY)
    automatic_queries_sync()
    query = Query.objects.get(rule="platelets_high")
    query_close(query=query, text="Confirmed on the lab report: 1,200 is right.", user=monitor)
    assert automatic_queries_sync() == automatic_queries_sync().__class__()
    assert Query.objects.get(pk=query.pk).status == QueryStatus.CLOSED


def test_management_command(nurse, capsys):
    patient = enrol(nurse, start=START, today=TODAY)
    record(patient, nurse, "week1", day=7, platelets=1200, today=TODAY)
    call_command("scan_queries")
    call_command("scan_queries")
    assert "raised 0" in capsys.readouterr().out
    assert Query.objects.count() == 1
