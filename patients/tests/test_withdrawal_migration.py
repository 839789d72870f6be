"""Withdrawals written while they lived in safety/ survive the move to the patient: the rows, their history and
their content type are the same afterwards, under the patients app's table names."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from patients.models import Withdrawal
from tests.factories import enrol

BEFORE = [("safety", "0005_haematology_panel"), ("patients", "0005_record_version")]
AFTER = [("patients", "0007_withdrawal_table")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_withdrawal_rows_history_and_content_type_survive_the_move(nurse, physician):
    patient = enrol(nurse, start=date(2026, 3, 2))
    old = migrate(BEFORE)
    OldWithdrawal = old.get_model("safety", "Withdrawal")
    OldHistory = old.get_model("safety", "HistoricalWithdrawal")
    old_type = ContentType.objects.get_or_create(app_label="safety", model="withdrawal")[0]
    row = OldWithdrawal.objects.create(patient_id=patient.pk, marked_on=date(2026, 3, 20),
                                       off_study_date=date(2026, 3, 25), off_study_reason="moved away", version=2)
    OldHistory.objects.create(id=row.pk, patient_id=patient.pk, marked_on=row.marked_on, version=2,
                              off_study_date=row.off_study_date, off_study_reason=row.off_study_reason,
                              created_at=row.created_at, modified_at=row.modified_at, history_date=row.modified_at,
                              history_type="~", history_change_reason="off-study recorded",
                              history_user_id=physician.pk)
    migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = Withdrawal.objects.get()
    assert (moved.pk, moved.patient_id, moved.off_study_date, moved.off_study_reason, moved.version) == (
        row.pk, patient.pk, date(2026, 3, 25), "moved away", 2)
    history = moved.history.get()
    assert (history.history_change_reason, history.history_user_id) == ("off-study recorded", physician.pk)
    assert ContentType.objects.get_for_model(Withdrawal).pk == old_type.pk
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {"patients_withdrawal", "patients_historicalwithdrawal"} <= tables
    assert not {"safety_withdrawal", "safety_historicalwithdrawal"} & tables
