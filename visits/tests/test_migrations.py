"""The data steps of the visit migrations on patients enrolled before them: the loss events of each response
summary are filled (0002), and schedule 1.1's follow-up slots are added with their history (0003)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import enrol, record
from visits.models import ResponseSummary, ScheduledVisit

START = date(2026, 1, 5)
BEFORE = [("visits", "0002_record_version")]
AFTER = [("visits", "0004_follow_up_slots")]


def migrate(targets=None):
    """Migrate to `targets`, or (None) back to the latest state for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_summaries_and_slots_of_patients_enrolled_before_the_migrations(nurse):
    patient = enrol(nurse, start=START, baseline=10, today=START + timedelta(days=40))
    for code, day, platelets in (("week1", 7, 150), ("week2", 14, 150), ("week3", 21, 60), ("month1", 28, 60)):
        record(patient, nurse, code, day=day, platelets=platelets, today=START + timedelta(days=40))
    migrate(BEFORE)  # as a study enrolled under schedule 1.0 left its database
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM visits_scheduledvisit WHERE code IN ('month4', 'month5', 'month7', 'month8', "
                       "'month9', 'month10', 'month11', 'month12')")
        cursor.execute("DELETE FROM visits_historicalscheduledvisit WHERE code LIKE 'month%%' AND code NOT IN "
                       "('month1', 'month2', 'month3', 'month6')")
        cursor.execute("UPDATE patients_patient SET schedule_version = '1.0'")
    try:
        migrate(AFTER)
    finally:
        migrate()
    summary = ResponseSummary.objects.get(patient=patient)
    assert (summary.downgraded, summary.downgrade_date, summary.time_to_confirmed_response_days) == (
        True, START + timedelta(days=21), 7)
    slots = {s.code: s for s in ScheduledVisit.objects.filter(patient=patient)}
    assert len(slots) == 16
    assert (slots["month4"].target_date, slots["month4"].earliest, slots["month12"].latest) == (
        START + timedelta(days=112), START + timedelta(days=105), START + timedelta(days=350))
    added = ScheduledVisit.history.filter(code="month4", patient_id=patient.pk).get()
    assert added.history_change_reason == "schedule 1.1: follow-up visits while on sirolimus"
    patient.refresh_from_db()
    assert patient.schedule_version == "1.1"
    assert patient.history.first().history_change_reason == "schedule 1.1: follow-up visits while on sirolimus"
