"""The `queries` dataset (one row per message, with its codebook) and query activity in the audit trail."""

from datetime import date, timedelta

import pytest

from monitoring.services import Correction, query_answer, query_close, query_raise, record_verify
from reports.datasets import DATASETS
from reports.exporting import codebook_csv
from tests.factories import enrol, record

START = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def test_queries_dataset_and_audit(nurse, monitor):
    patient = enrol(nurse, start=START, today=START + timedelta(days=8))
    visit = record(patient, nurse, "week1", day=7, platelets=45, today=START + timedelta(days=8))
    query = query_raise(record_type="visit", record_id=visit.pk, field="platelets", text="=54?", user=monitor)
    query_answer(query=query, text="corrected", user=nurse,
                 correction=Correction(value="54", reason="typo", version=visit.version))
    query_close(query=query, text="thanks", user=monitor)
    record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=visit.version + 1)

    dataset = DATASETS["queries"]
    rows = list(dataset.rows())
    names = [column.name for column in dataset.columns]
    assert dataset.count() == len(rows) == 3
    as_dicts = [dict(zip(names, row, strict=True)) for row in rows]
    assert [(r["message"], r["kind"], r["author"]) for r in as_dicts] == [
        (1, "question", "monitor"), (2, "answer", "nurse"), (3, "close", "monitor")]
    assert {r["status"] for r in as_dicts} == {"closed"}
    assert (as_dicts[1]["correction_old"], as_dicts[1]["correction_new"]) == ("45.0", "54.0")
    assert as_dicts[0]["study_id"] == patient.study_id and as_dicts[0]["field"] == "platelets"
    codebook = codebook_csv(dataset).decode()
    assert all(name in codebook for name in names)

    audit = [row for row in DATASETS["audit"].rows() if row[0].startswith("monitoring.")]
    models = {row[0] for row in audit}
    assert models == {"monitoring.Query", "monitoring.QueryMessage", "monitoring.Verification"}
    status_changes = [(row[5], row[6], row[7]) for row in audit if row[0] == "monitoring.Query" and row[4] == "status"]
    assert status_changes == [("open", "answered", "nurse"), ("answered", "closed", "monitor")]
    assert all(row[2] == patient.study_id for row in audit)
