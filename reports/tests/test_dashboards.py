from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.models import Patient
from reports.dashboards import patient_chart
from reports.study_grid import grid_rows, slot_counts
from reports.tests.bulk import bulk_patients
from tests.factories import enrol, record

TODAY = date(2025, 6, 2)
pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/reports/dashboard/", "/reports/patients/ITP-0001/"],
                         ids=["study-dashboard", "patient-dashboard"])
def test_query_count_does_not_grow_with_patients(client, physician, path, django_assert_num_queries):
    bulk_patients(10, user=physician, start=date(2025, 5, 1))
    client.force_login(physician)
    client.get(path)  # warm per-process caches (content types, permissions)
    at_10 = queries(client, path)
    bulk_patients(490, user=physician, start=date(2025, 5, 1), first_number=11)
    with django_assert_num_queries(at_10):
        assert client.get(path).status_code == 200


def test_grid_cells_show_category_or_status(nurse):
    today = date(2025, 5, 31)
    patient = enrol(nurse, start=date(2025, 5, 1), baseline=10, today=today)
    record(patient, nurse, "week1", day=7, platelets=45, today=today)
    [row] = grid_rows(list(Patient.objects.select_related("response")), today=today)
    by_code = {c.code: c for c in row.cells}
    assert (by_code["baseline"].category, by_code["week1"].category) == ("NR", "R")
    assert by_code["week2"].status == "missed"  # window 05-13..05-17 closed
    assert by_code["month1"].status == "overdue"  # target 05-29, window open to 06-01
    assert row.overdue and row.responding and not row.nr_at_month3
    counts = {c["code"]: c["counts"] for c in slot_counts(today=today)}
    assert counts["week1"] == {"R": 1} and counts["month6"] == {"upcoming": 1}


def test_chart_has_one_point_per_visit_and_the_reference_lines(nurse):
    patient = enrol(nurse, start=date(2025, 5, 1), baseline=12, today=TODAY)
    record(patient, nurse, "week1", day=7, platelets=45, grade=1, today=TODAY)
    record(patient, nurse, "unscheduled", day=10, platelets=60, today=TODAY)
    chart = patient_chart(patient=patient)
    assert [(p["day"], p["platelets"], p["category"], p["bleeding"]) for p in chart["points"]] == [
        (0, 12.0, "NR", False), (7, 45.0, "NR", True), (10, 60.0, "R", False)]
    assert chart["lines"] == {"r": 30.0, "cr": 100.0, "double_baseline": 24.0}


@pytest.mark.parametrize("doses, today_day, steps", [
    # ITP-001: 2 mg/day on days 0-7, 1 mg/day from day 8 (the chart used to draw 1.0 from day 0)
    ([(0, 2.0), (8, 1.0), (91, 1.0)], 200, [(0, 8, 2.0), (8, 91, 1.0), (91, 200, 1.0)]),
    ([(0, 2.0), (30, 0.0)], 45, [(0, 30, 2.0), (30, 45, 0.0)]),  # a stop is drawn at 0 until today
    ([(0, 3.0)], 0, [(0, 0, 3.0)]),
])
def test_dose_steps_hold_each_dose_until_the_next_change(doses, today_day, steps):
    from reports.dashboards import dose_steps

    recorded = [{"day": day, "mg_per_day": mg, "phase": "x", "date": ""} for day, mg in doses]
    assert [(s["from"], s["to"], s["mg_per_day"]) for s in dose_steps(recorded, today_day)] == steps
