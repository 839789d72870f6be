from datetime import date

import pytest

from reports.selectors import study_report
from tests.factories import enrol, record
from visits.schedule import PROTOCOL_SCHEDULE

START = date(2025, 1, 6)
TODAY = date(2025, 12, 1)


@pytest.mark.django_db
def test_friedman_uses_complete_cases_only(nurse):
    counts = {"A": [10, 20, 30, 40, 50, 60, 70, 80], "B": [12, 11, 35, 36, 90, 100, 120, 130],
              "C": [9, 15, 20]}  # C stops after week2: not a complete case
    for values in counts.values():
        patient = enrol(nurse, start=START, baseline=values[0], today=TODAY)
        for visit_def, count in zip(PROTOCOL_SCHEDULE.core_timepoints, values[1:], strict=False):
            record(patient, nurse, visit_def.code, day=visit_def.day, platelets=count, today=TODAY)
    friedman = study_report()["friedman"]
    # Ranks: A = 1..8; B = 2,1,3..8. Rank sums 3, 3, 6, 8, 10, 12, 14, 16 (squares sum to 814):
    # chi2 = 12 / (2 * 8 * 9) * 814 - 3 * 2 * 9 = 13.8333; W = chi2 / (n (k - 1)) = 13.8333 / 14.
    assert (friedman["n"], friedman["df"], friedman["chi2"]) == (2, 7, 13.8333)
    assert friedman["kendall_w"] == 0.9881
    assert friedman["visits"][0] == "baseline" and len(friedman["visits"]) == 8
