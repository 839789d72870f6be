from datetime import date
from decimal import Decimal

import pytest

from itp_trial.validation import Problem, sentence
from visits.messages import window_warning
from visits.validation import visit_problems, window_problem

DAY0 = date(2026, 3, 2)
TODAY = date(2026, 3, 20)


def problems(code="week1", visit_date=date(2026, 3, 9), platelets=Decimal(50), grade=0, required=True):
    return visit_problems(code=code, visit_date=visit_date, day0=DAY0, today=TODAY, platelets=platelets,
                          bleeding_grade=grade, bleeding_required=required)


@pytest.mark.parametrize(
    "platelets, ok",
    [(Decimal(0), True), (Decimal(1500), True), (Decimal("1500.1"), False), (Decimal("-0.1"), False),
     (Decimal("0.1"), True)],
    ids=["zero", "1500", "above-1500", "negative", "point-one"],
)
def test_platelet_range(platelets, ok):
    found = problems(platelets=platelets)
    assert ("platelets" not in found) is ok
    if not ok:
        assert found["platelets"] == [Problem("platelets.range", {"min": 0, "max": 1500})]
        assert [str(p) for p in found["platelets"]] == ["must be between 0 and 1500"]
        assert [sentence(p) for p in found["platelets"]] == ["Must be between 0 and 1500."]


@pytest.mark.parametrize(
    "code, visit_date, field_ok",
    [
        ("week1", TODAY, True),
        ("week1", date(2026, 3, 21), False),        # tomorrow
        ("week1", DAY0, True),                      # day 0 itself
        ("unscheduled", date(2026, 3, 1), False),   # the day before day 0
        ("baseline", date(2026, 2, 23), True),      # 7 days before
        ("baseline", DAY0, True),
        ("baseline", date(2026, 3, 3), False),      # after day 0
    ],
    ids=["today", "future", "day0", "before-day0", "baseline-early", "baseline-day0", "baseline-after-day0"],
)
def test_visit_dates(code, visit_date, field_ok):
    assert ("visit_date" not in problems(code=code, visit_date=visit_date)) is field_ok


@pytest.mark.parametrize("grade, ok", [(0, True), (4, True), (5, False), (None, False)],
                         ids=["0", "4", "5", "missing"])
def test_bleeding_grade_required_and_in_range(grade, ok):
    assert ("bleeding_grade" not in problems(grade=grade)) is ok


def test_missing_bleeding_allowed_when_not_required():
    assert problems(grade=None, required=False) == {}


def window_message(days, earliest, latest):
    return window_warning(window_problem(days, earliest=earliest, latest=latest))


def test_window_message_says_how_far_outside():
    assert window_problem(0, earliest=date(2026, 3, 7), latest=date(2026, 3, 11)) is None
    assert window_message(0, date(2026, 3, 7), date(2026, 3, 11)) == ""
    assert window_message(3, date(2026, 3, 7), date(2026, 3, 11)) == (
        "Outside the visit window (2026-03-07 to 2026-03-11): 3 days after it."
    )
    assert window_message(-1, date(2026, 3, 7), date(2026, 3, 11)) == (
        "Outside the visit window (2026-03-07 to 2026-03-11): 1 day before it."
    )
