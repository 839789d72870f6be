"""Friedman test and Kendall's W; expected values were cross-checked against a reference implementation."""

import pytest

from reports.statistics import average_ranks, chi2_sf, friedman


@pytest.mark.parametrize(
    "values, ranks",
    [([10, 20, 30], [1, 2, 3]), ([30, 10, 20], [3, 1, 2]), ([5, 5, 9], [1.5, 1.5, 3]), ([7, 7, 7], [2, 2, 2])],
    ids=["ordered", "shuffled", "one-tie", "all-tied"],
)
def test_average_ranks(values, ranks):
    assert average_ranks(values) == ranks


@pytest.mark.parametrize(
    "x, df, p",
    [(3.841458820694124, 1, 0.05), (29.005, 5, 2.3135274058619123e-05), (6.0, 2, 0.04978706836786395),
     (0.001, 3, 0.9999915920809419)],
    ids=["df1-critical", "paper-table2-chi2", "df2", "tiny-x"],
)
def test_chi2_upper_tail(x, df, p):
    assert chi2_sf(x, df) == pytest.approx(p, rel=1e-9)


def test_friedman_with_ties():
    rows = [[12, 25, 46, 78, 121], [15, 41, 52, 38, 24], [8, 10, 14, 12, 15], [20, 45, 45, 60, 110]]
    result = friedman(rows)
    assert (result.n, result.k) == (4, 5)
    assert result.chi2 == pytest.approx(10.278481012658233, rel=1e-12)
    assert result.p == pytest.approx(0.035989089069809556, rel=1e-9)
    assert result.kendall_w == pytest.approx(10.278481012658233 / (4 * 4), rel=1e-12)
    assert result.mean_ranks == (1.0, 2.625, 3.625, 3.5, 4.25)  # rank sums 4, 10.5, 14.5, 14, 17 over 4


def test_perfect_agreement_gives_w_of_one():
    result = friedman([[1, 2, 3], [1, 2, 3], [1, 2, 3]])
    assert (result.chi2, result.kendall_w) == (6.0, 1.0)
    assert result.p == pytest.approx(0.04978706836786395, rel=1e-9)


@pytest.mark.parametrize("rows", [[], [[1, 2, 3]], [[1, 2], [1]], [[5, 5], [5, 5]]],
                         ids=["no-patients", "one-patient", "ragged", "all-equal"])
def test_undefined_cases_give_none(rows):
    assert friedman(rows) is None
