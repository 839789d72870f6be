"""Reminders written while they lived in safety/ survive the move to the inbox app, with their read state;
the ones not e-mailed yet get their outbox message, and their stored text is still what the inbox shows."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inbox.models import OutboxMessage, Reminder, ReminderRead
from tests.factories import enrol

BEFORE = [("safety", "0003_record_version"), ("inbox", None)]  # the last state with safety.Reminder
AFTER = [("safety", "0004_reminders_move_to_inbox"), ("inbox", "0002_outbox_and_params")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_reminders_and_read_state_survive_the_move(nurse, physician):
    patient = enrol(nurse, start=date(2026, 3, 2))
    old = migrate(BEFORE)
    OldReminder, OldRead = old.get_model("safety", "Reminder"), old.get_model("safety", "ReminderRead")
    emailed = OldReminder.objects.create(patient_id=patient.pk, kind="visit_due", due_date=date(2026, 3, 9),
                                         audience="nurse", message="ITP-001: Week 1 visit due",
                                         emailed_at="2026-03-07T06:00:00Z")
    pending = OldReminder.objects.create(patient_id=patient.pk, kind="ae_proposed", due_date=date(2026, 3, 16),
                                         audience="physician", message="ITP-001: confirm or dismiss ALT grade 1")
    OldRead.objects.create(reminder_id=emailed.pk, user_id=nurse.pk)
    migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # whatever else the graph holds, as before
    assert sorted(Reminder.objects.values_list("pk", "kind")) == [(emailed.pk, "visit_due"),
                                                                    (pending.pk, "ae_proposed")]
    assert Reminder.objects.get(pk=pending.pk).text == "ITP-001: confirm or dismiss ALT grade 1"
    assert list(ReminderRead.objects.values_list("reminder_id", "user_id")) == [(emailed.pk, nurse.pk)]
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [f"reminder_email:{pending.pk}"]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {"inbox_reminder", "inbox_reminderread"} <= tables and "safety_reminder" not in tables
