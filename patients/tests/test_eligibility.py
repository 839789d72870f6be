from datetime import date

import pytest

from itp_trial.validation import Problem, sentence
from patients.demographics import age_in_years, is_child, months_between
from patients.eligibility import (
    PriorTherapyInput,
    date_problems,
    months_before,
    second_line_problems,
    washout_warnings,
)

START = date(2026, 3, 15)


@pytest.mark.parametrize(
    "day, months, expected",
    [(date(2026, 3, 15), 1, date(2026, 2, 15)), (date(2026, 3, 31), 1, date(2026, 2, 28)),
     (date(2024, 3, 31), 1, date(2024, 2, 29)), (date(2026, 1, 10), 1, date(2025, 12, 10))],
    ids=["mid-month", "clamped-to-february", "leap-year", "across-new-year"],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.parametrize(
    "therapy, stop, warned",
    [
        ("tpo_ra", date(2026, 2, 15), False),      # exactly 1 month before start
        ("tpo_ra", date(2026, 2, 16), True),       # one day short of a month
        ("tpo_ra", None, True),                    # no stop date: cannot be checked
        ("glucocorticoids", date(2026, 3, 10), False),  # first-line: no washout rule
        ("ivig", None, False),
        ("rituximab", date(2025, 6, 1), False),
    ],
    ids=["exactly-one-month", "one-day-short", "no-stop-date", "first-line-recent", "first-line-no-date",
         "long-ago"],
)
def test_washout_warning(therapy, stop, warned):
    warnings = washout_warnings([PriorTherapyInput(therapy, stop)], START)
    assert bool(warnings) is warned


def test_washout_warning_says_what_and_when():
    [warning] = washout_warnings([PriorTherapyInput("eltrombopag", date(2026, 3, 1))], START)
    assert warning == Problem("washout.recent", {"therapy": "eltrombopag", "other_name": "", "days": 14,
                                                 "stopped": date(2026, 3, 1), "limit": date(2026, 2, 15)})
    assert sentence(warning) == ("Eltrombopag stopped on 2026-03-01, 14 days before sirolimus start (less than "
                                 "1 month; the protocol expects it stopped by 2026-02-15).")


@pytest.mark.parametrize(
    "birth, on, age, child",
    [(date(2008, 3, 15), date(2026, 3, 15), 18, False), (date(2008, 3, 16), date(2026, 3, 15), 17, True),
     (date(2012, 2, 29), date(2026, 2, 28), 13, True)],
    ids=["18th-birthday", "day-before-18th", "leap-birthday"],
)
def test_age_and_child(birth, on, age, child):
    assert age_in_years(birth, on) == age
    assert is_child(birth, on) is child


def test_months_between():
    assert months_between(date(2024, 9, 3), date(2026, 3, 3)) == 17.9  # 546 days / 30.4375


def test_date_problems_order_and_future():
    found = date_problems(birth_date=date(1980, 1, 1), diagnosis_date=date(2026, 4, 1), start_date=START,
                          today=START, consent_date=date(2026, 3, 16))
    assert {name: [str(p) for p in problems] for name, problems in found.items()} == {
        "diagnosis_date": ["cannot be after the sirolimus start date", "cannot be in the future"],
        "consent_date": ["cannot be in the future", "written consent must be given on or before sirolimus start"],
    }


@pytest.mark.parametrize(
    "declared, listed, problem",
    [
        ("none", [], False),  # no second-line therapy: nothing to tick, nothing to list
        ("none", [PriorTherapyInput("glucocorticoids")], False),  # first-line only
        ("none", [PriorTherapyInput("rituximab", date(2025, 1, 1))], True),  # contradicts the list
        ("stopped", [PriorTherapyInput("rituximab", date(2025, 1, 1))], False),
        ("stopped", [], True),  # which therapy? list it with its stop date
        ("recent", [PriorTherapyInput("eltrombopag", date(2026, 2, 20))], False),
        ("recent", [PriorTherapyInput("ivig")], True),
    ],
)
def test_the_second_line_statement_agrees_with_the_therapies_listed(declared, listed, problem):
    assert bool(second_line_problems(declared, listed)) is problem
