"""reports.tables.response_tables: the paper's Table 2 and 3 from plain rows (pure, hand-computed)."""

import json
from decimal import Decimal

import pytest

from reports.tables import VisitRow, response_tables
from visits.schedule import PROTOCOL_SCHEDULE

TIMEPOINTS = ("week1", "week2", "week3", "month1", "month2", "month3", "month6")
KEYS = ["visit", "n", "NR", "R", "CR", "NE", "orr", "median_platelets"]


def row(patient_id: int, code: str, category: str, platelets) -> VisitRow:
    return VisitRow(patient_id, code, category, Decimal(str(platelets)))


def empty(code: str) -> dict:
    return {"visit": code, "n": 0, "NR": 0, "R": 0, "CR": 0, "NE": 0, "orr": None, "median_platelets": None}


def tables(rows, timepoints=TIMEPOINTS) -> dict:
    """The documented part of the tables: {"baseline": ..., "timepoints": [...]}."""
    result = response_tables(rows, timepoints=timepoints, baseline_code="baseline")
    return {key: result[key] for key in ("baseline", "timepoints")}


def test_the_schedule_reports_the_protocol_timepoints_and_the_follow_up_visits_in_order():
    assert [v.code for v in PROTOCOL_SCHEDULE.core_timepoints] == list(TIMEPOINTS)
    assert [v.code for v in PROTOCOL_SCHEDULE.timepoints] == [
        "week1", "week2", "week3", "month1", "month2", "month3", "month4", "month5", "month6", "month7", "month8",
        "month9", "month10", "month11", "month12"]


def test_a_small_study_gives_the_hand_computed_tables():
    rows = [
        row(1, "baseline", "NR", 12), row(2, "baseline", "NR", 20), row(3, "baseline", "NR", 8),
        row(4, "baseline", "NR", 30),
        row(1, "week1", "NR", 25), row(2, "week1", "R", 45), row(3, "week1", "NR", 10),
        row(1, "week2", "R", 46), row(2, "week2", "CR", 150), row(3, "week2", "NE", 120), row(4, "week2", "CR", 101),
        row(4, "month1", "NE", "50.5"),
        row(1, "unscheduled", "CR", 300), row(2, "month4", "CR", 400),  # not timepoints: never counted
    ]
    assert tables(rows) == {
        "baseline": {"n": 4, "median_platelets": 16.0},  # (12 + 20) / 2
        "timepoints": [
            {"visit": "week1", "n": 3, "NR": 2, "R": 1, "CR": 0, "NE": 0, "orr": 0.3333, "median_platelets": 25.0},
            {"visit": "week2", "n": 4, "NR": 0, "R": 1, "CR": 2, "NE": 1, "orr": 0.75, "median_platelets": 110.5},
            empty("week3"),
            {"visit": "month1", "n": 1, "NR": 0, "R": 0, "CR": 0, "NE": 1, "orr": 0.0, "median_platelets": 50.5},
            empty("month2"),
            empty("month3"),
            empty("month6"),
        ],
    }


def test_the_issue_example_twelve_patients_at_week1():
    baseline = [5, 8, 10, 12, 15, 16, 18, 20, 22, 25, 28, 30]  # median (16 + 18) / 2 = 17
    week1 = [10, 12, 15, 18, 20, 25, 28, 30, 33, 40, 45, 50]  # median (25 + 28) / 2 = 26.5
    categories = ["NR"] * 9 + ["R"] * 3
    rows = [row(i, "baseline", "NR", p) for i, p in enumerate(baseline)]
    rows += [row(i, "week1", c, p) for i, (c, p) in enumerate(zip(categories, week1, strict=True))]
    result = tables(rows)
    assert result["baseline"] == {"n": 12, "median_platelets": 17.0}
    assert result["timepoints"][0] == {
        "visit": "week1", "n": 12, "NR": 9, "R": 3, "CR": 0, "NE": 0, "orr": 0.25, "median_platelets": 26.5}


def test_no_rows_gives_zero_counts_and_null_rates():
    assert tables([]) == {"baseline": {"n": 0, "median_platelets": None}, "timepoints": [empty(c) for c in TIMEPOINTS]}


def test_rows_are_read_once_so_a_generator_is_enough():
    rows = (row(i, "week1", "R", 50 + i) for i in range(3))
    assert tables(rows)["timepoints"][0] == {
        "visit": "week1", "n": 3, "NR": 0, "R": 3, "CR": 0, "NE": 0, "orr": 1.0, "median_platelets": 51.0}


def test_timepoints_follow_the_order_asked_for_not_the_rows():
    rows = [row(1, "month1", "CR", 200), row(1, "week1", "R", 40)]
    result = tables(rows, timepoints=("month1", "week1"))
    assert [t["visit"] for t in result["timepoints"]] == ["month1", "week1"]
    assert [list(t) for t in result["timepoints"]] == [KEYS, KEYS]
    assert list(response_tables([], timepoints=("week1",), baseline_code="baseline"))[:2] == ["baseline", "timepoints"]


@pytest.mark.parametrize(
    ("platelets", "expected"),
    [
        ([40], 40.0),
        ([10, 20], 15.0),
        ([25, 28], 26.5),
        ([3, 1, 2], 2.0),
        ([50, 10, 40, 20, 30], 30.0),
        ([40, 10, 30, 20], 25.0),
        (["12.5", "12.6"], 12.55),
        ([0, 0, 1500], 0.0),
    ],
    ids=["one", "two", "two-half", "odd-unsorted", "five", "even-unsorted", "decimals", "zeros"],
)
def test_median_platelets_at_a_timepoint(platelets, expected):
    rows = [row(i, "week2", "NR", p) for i, p in enumerate(platelets)]
    median = tables(rows)["timepoints"][1]["median_platelets"]
    assert median == expected
    assert type(median) is float


@pytest.mark.parametrize(
    ("categories", "counts", "orr"),
    [
        (["NR"] * 9 + ["R"] * 3, (9, 3, 0, 0), 0.25),
        (["R", "CR", "NR"], (1, 1, 1, 0), 0.6667),
        (["CR", "CR", "NE", "NE"], (0, 0, 2, 2), 0.5),  # NE counts in n: a visit is there
        (["NE"], (0, 0, 0, 1), 0.0),
        (["CR"], (0, 0, 1, 0), 1.0),
        (["NR", "NR", "NR", "R", "R", "R", "R"], (3, 4, 0, 0), 0.5714),
    ],
    ids=["issue-example", "thirds", "ne-in-denominator", "only-ne", "all-cr", "sevenths"],
)
def test_overall_response_rate_is_r_plus_cr_over_n(categories, counts, orr):
    rows = [row(i, "month3", c, 50) for i, c in enumerate(categories)]
    at = tables(rows)["timepoints"][5]
    assert at["visit"] == "month3"
    assert (at["n"], (at["NR"], at["R"], at["CR"], at["NE"])) == (len(categories), counts)
    assert at["orr"] == pytest.approx(orr, abs=1e-4)


def test_the_result_is_plain_json():
    rows = [row(1, "baseline", "NR", "12.5"), row(1, "week1", "R", "40.5")]
    result = response_tables(rows, timepoints=TIMEPOINTS, baseline_code="baseline")
    assert json.loads(json.dumps(result)) == result
