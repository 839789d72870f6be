"""The reminder and outbox tables carry only the indexes something reads through: every index is written by each
of the scan's tens of thousands of inserts."""

import pytest
from django.db import connection

from inbox.models import OutboxMessage, Reminder

pytestmark = pytest.mark.django_db


def indexed_columns(model) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {tuple(c["columns"]) for c in found.values() if c["index"] or c["unique"]}


def test_the_reminder_key_serves_the_lookups_by_patient():
    assert indexed_columns(Reminder) == {("id",), ("patient_id", "kind", "due_date"), ("audience", "due_date")}


def test_the_outbox_key_has_one_unique_index():
    assert indexed_columns(OutboxMessage) == {("id",), ("key",), ("next_attempt_at",)}
