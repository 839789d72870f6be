import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from patients.models import Patient
from reports.csvformat import cell, neutralise
from reports.datasets import DATASETS
from reports.exporting import copy_csv, python_csv
from reports.models import ExportLog
from tests.factories import enrol, record
from visits.models import Visit
from visits.services import VisitValues, visit_record

START = date(2025, 3, 3)
TODAY = date(2025, 12, 1)


@pytest.mark.parametrize(
    "text, expected",
    [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("ITP-001", "ITP-001"), ("a=b", "a=b"), ("", "")],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return", "plain", "inner-equals", "empty"],
)
def test_formula_cells_are_neutralised(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize(
    "value, kind, expected",
    [(None, "text", ""), (True, "boolean", "true"), (False, "boolean", "false"), (date(2025, 3, 3), "date",
     "2025-03-03"), (Decimal("12.0"), "decimal", "12.0"), (-3, "integer", "-3"), ("-3", "text", "'-3")],
    ids=["none", "true", "false", "date", "decimal", "negative-number-kept", "negative-text-neutralised"],
)
def test_cells(value, kind, expected):
    assert cell(value, kind) == expected


@pytest.fixture
def study(nurse):
    first = enrol(nurse, start=START, baseline=12, baseline_date=date(2025, 2, 28), today=TODAY)
    record(first, nurse, "week1", day=7, platelets=31, today=TODAY)
    record(first, nurse, "unscheduled", day=10, platelets=Decimal("45.5"), grade=1, today=TODAY)
    second = enrol(nurse, start=date(2025, 4, 7), baseline=20, today=TODAY)
    visit_record(patient=second, code="week1", user=nurse, today=TODAY, bleeding_required=False,
                 values=VisitValues(visit_date=date(2025, 4, 14), platelets=Decimal(120), bleeding_grade=None,
                                    bleeding_reported=False, haemoglobin=Decimal("118.0"),
                                    white_cells=Decimal("7.25")))
    return first, second


def parse(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.mark.django_db
def test_visits_dataset_one_row_per_visit_ordered(study):
    rows = parse(b"".join(python_csv(DATASETS["visits"])))
    assert [(r["study_id"], r["visit"], r["date"], r["day"], r["platelets"], r["bleeding"], r["category"])
            for r in rows] == [
        ("ITP-001", "baseline", "2025-02-28", "-3", "12.0", "false", "NR"),
        ("ITP-001", "week1", "2025-03-10", "7", "31.0", "false", "R"),
        ("ITP-001", "unscheduled", "2025-03-13", "10", "45.5", "true", "NR"),
        ("ITP-002", "baseline", "2025-04-07", "0", "20.0", "false", "NR"),
        ("ITP-002", "week1", "2025-04-14", "7", "120.0", "false", "CR"),
    ]
    assert (rows[4]["bleeding_grade"], rows[4]["haemoglobin"], rows[4]["white_cells"]) == ("", "118.0", "7.25")


@pytest.mark.django_db
def test_copy_and_python_forms_give_the_same_bytes(study):
    # A hostile study id written behind the services' back must be neutralised by both forms alike.
    Patient.objects.filter(study_id="ITP-002").update(study_id="=HYPERLINK(1)")
    dataset = DATASETS["visits"]
    via_python = b"".join(python_csv(dataset))
    via_copy = b"".join(copy_csv(dataset))
    assert via_copy == via_python
    assert b"'=HYPERLINK(1),baseline" in via_copy


@pytest.mark.django_db
def test_patients_dataset_has_age_not_identifiers(study):
    header = b"".join(python_csv(DATASETS["patients"])).split(b"\n")[0].decode()
    assert "age_at_start" in header
    for forbidden in ("birth", "name", "phone"):
        assert forbidden not in header
    rows = parse(b"".join(python_csv(DATASETS["patients"])))
    assert (rows[0]["study_id"], rows[0]["age_at_start"], rows[0]["prior_therapies"]) == ("ITP-001", "49",
                                                                                           "glucocorticoids")


@pytest.mark.django_db
def test_audit_dataset_lists_creations_and_changes_with_reason(study, physician):
    from visits.services import visit_update

    visit = Visit.objects.get(patient__study_id="ITP-001", slot__code="week1")
    visit_update(visit=visit, version=visit.version, user=physician, reason="lab re-check", today=TODAY,
                 values=VisitValues(visit_date=visit.visit_date, platelets=Decimal(33), bleeding_grade=0))
    rows = parse(b"".join(python_csv(DATASETS["audit"])))
    change = [r for r in rows if r["action"] == "changed" and r["model"] == "visits.Visit"]
    assert [(c["study_id"], c["field"], c["old"], c["new"], c["user"], c["reason"]) for c in change] == [
        ("ITP-001", "platelets", "31.0", "33.0", "physician", "lab re-check")]
    assert change[0]["time_utc"].endswith("Z")
    assert sum(1 for r in rows if r["action"] == "created" and r["model"] == "visits.Visit") == 5


@pytest.mark.django_db
def test_command_writes_the_same_bytes_as_the_page(client, study, data_manager, tmp_path):
    client.force_login(data_manager)
    response = client.get("/reports/exports/visits.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    page = b"".join(response.streaming_content)
    out = tmp_path / "visits.csv"
    call_command("export_csv", "visits", "--out", str(out))
    assert out.read_bytes() == page
    logs = list(ExportLog.objects.order_by("started_at").values_list("actor", "via", "dataset", "rows"))
    assert logs[0] == (data_manager.username, "web", "visits", 5)
    assert logs[1][1:] == ("command", "visits", 5)


@pytest.mark.django_db
def test_zip_holds_every_dataset_and_codebook(client, study, data_manager):
    client.force_login(data_manager)
    response = client.get("/reports/exports/all.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    for name in DATASETS:
        assert {f"{name}.csv", f"{name}-codebook.csv"} <= names
    codebook = parse(archive.read("visits-codebook.csv"))
    assert [c["column"] for c in codebook][:4] == ["study_id", "visit", "date", "day"]
    assert codebook[4]["unit"] == "×10^9/L"


@pytest.mark.django_db
def test_exports_list_shows_row_counts(client, study, data_manager):
    client.force_login(data_manager)
    page = client.get("/reports/exports/").content.decode()
    assert "5 rows" in page and "2 rows" in page


@pytest.mark.django_db
def test_dosing_and_safety_datasets(study, nurse):
    from dosing.tests.factories import dose, trough
    from safety.tests.builders import alt, event, lab

    first = study[0]
    dose(first, nurse, day=0, mg=2, today=TODAY)
    dose(first, nurse, day=9, mg=1, change_reason="trough 19.5", today=TODAY)
    trough(first, nurse, day=8, ng_ml="19.5", today=TODAY)
    lab(first, nurse, on=date(2025, 3, 17), values=[alt(100)], today=TODAY)
    event(first, nurse, on=date(2025, 3, 20), term="Diarrhea", grade=2, today=TODAY)

    doses = parse(b"".join(python_csv(DATASETS["doses"])))
    assert [(d["study_id"], d["start_date"], d["day"], d["mg_per_day"], d["phase"], d["change_reason"]) for d in doses
            ] == [("ITP-001", "2025-03-03", "0", "2.00", "start", ""),
                  ("ITP-001", "2025-03-12", "9", "1.00", "maintenance", "trough 19.5")]
    [level] = parse(b"".join(python_csv(DATASETS["troughs"])))
    assert (level["day"], level["ng_ml"], level["classification"], level["hours_since_dose"]) == (
        "8", "19.5", "high", "24.0")
    [value] = parse(b"".join(python_csv(DATASETS["labs"])))
    assert (value["analyte"], value["value"], value["uln"], value["grade"], value["day"]) == (
        "alt", "100.000", "40.000", "1", "14")
    [ae] = parse(b"".join(python_csv(DATASETS["adverse_events"])))
    assert (ae["term"], ae["grade"], ae["onset_day"], ae["coded"], ae["from_lab"]) == ("Diarrhea", "2", "17", "true",
                                                                                      "false")


@pytest.mark.django_db
def test_chart_carries_doses_troughs_and_adverse_events(study, nurse):
    from dosing.tests.factories import dose, trough
    from reports.dashboards import patient_chart
    from safety.tests.builders import event

    first = study[0]
    dose(first, nurse, day=0, mg=2, today=TODAY)
    trough(first, nurse, day=8, ng_ml="19.5", today=TODAY)
    event(first, nurse, on=date(2025, 3, 20), grade=2, today=TODAY)
    chart = patient_chart(patient=first, today=date(2025, 3, 23))
    assert [(d["day"], d["mg_per_day"]) for d in chart["doses"]] == [(0, 2.0), (20, 2.0)]  # held to today
    assert chart["troughs"] == [{"day": 8, "date": "2025-03-11", "ng_ml": 19.5, "in_range": False}]
    assert chart["adverse_events"] == [{"day": 17, "date": "2025-03-20", "term": "Diarrhea", "grade": 2}]
    assert chart["trough_range"] == [5.0, 15.0]
