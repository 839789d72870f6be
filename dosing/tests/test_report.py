"""The dosing part of the study report: trough statistics and the dose ranges used, in fixed queries."""

from datetime import date

import pytest

from dosing.report import dosing_report
from dosing.tests.factories import dose, trough
from reports.selectors import study_report
from tests.factories import enrol

START = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def test_drug_monitoring_counts_median_range_and_values_outside_the_target(nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    for day, value in [(7, "16.3"), (28, "4.1"), (35, "8.2"), (42, "5.0"), (49, "15.0"), (56, "9.0"), (63, "7.4")]:
        trough(patient, nurse, day=day, ng_ml=value)
    monitoring = study_report()["drug_monitoring"]
    assert {k: monitoring[k] for k in ("troughs", "median_ng_ml", "min_ng_ml", "max_ng_ml", "out_of_range")} == {
        "troughs": 7, "median_ng_ml": 8.2, "min_ng_ml": 4.1, "max_ng_ml": 16.3, "out_of_range": [4.1, 16.3]}


def test_an_even_count_takes_the_mean_of_the_middle_two(nurse):
    patient = enrol(nurse, start=START)
    for day, value in [(7, "8.0"), (28, "9.0")]:
        trough(patient, nurse, day=day, ng_ml=value)
    assert dosing_report()["drug_monitoring"]["median_ng_ml"] == 8.5


def test_an_empty_study(db):
    report = dosing_report()
    assert report["drug_monitoring"]["troughs"] == 0 and report["drug_monitoring"]["median_ng_ml"] is None
    assert report["dose_ranges"]["adult"]["start"]["min_mg_per_day"] is None


def test_dose_ranges_by_age_group_in_start_and_maintenance(nurse):
    adult = enrol(nurse, start=START)
    dose(adult, nurse, day=0, mg=3)
    dose(adult, nurse, day=30, mg="1.5", phase="maintenance")
    other = enrol(nurse, start=START)
    dose(other, nurse, day=0, mg=2)
    dose(other, nurse, day=20, mg=1, phase="adjustment")  # not start or maintenance: not counted
    child = enrol(nurse, start=START, birth=date(2012, 1, 1))
    dose(child, nurse, day=0, mg=1)
    dose(child, nurse, day=30, mg="0.5", phase="maintenance")
    ranges = dosing_report()["dose_ranges"]
    assert ranges["adult"]["start"] == {"doses": 2, "min_mg_per_day": 2.0, "max_mg_per_day": 3.0,
                                        "protocol_mg_per_day": [2.0, 4.0]}
    assert (ranges["adult"]["maintenance"]["min_mg_per_day"], ranges["adult"]["maintenance"]["doses"]) == (1.5, 1)
    assert (ranges["child"]["start"]["max_mg_per_day"], ranges["child"]["maintenance"]["min_mg_per_day"]) == (1.0, 0.5)


@pytest.mark.parametrize("n", [3, 30])
def test_the_report_takes_two_queries_whatever_the_size(nurse, n, django_assert_num_queries):
    for _ in range(n):
        patient = enrol(nurse, start=START)
        dose(patient, nurse, day=0, mg=2)
        trough(patient, nurse, day=7, ng_ml="12")
    with django_assert_num_queries(2):
        assert dosing_report()["drug_monitoring"]["troughs"] == n


def test_the_study_response_page_shows_the_dosing_report(client, physician, nurse):
    patient = enrol(nurse, start=START)
    dose(patient, nurse, day=0, mg=2)
    trough(patient, nurse, day=7, ng_ml="27.7")
    client.force_login(physician)
    page = client.get("/reports/response/").content.decode()
    assert 'data-testid="dosing-report"' in page and "27.7" in page
