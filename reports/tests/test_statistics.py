"""reports.statistics: the hand-checked cases the module has always had to meet (Friedman and Kendall's W, the
F, t and chi-square tails, one-way ANOVA with Fisher's LSD). Expected values were cross-checked against a
reference implementation or published tables."""

import math

import pytest

from reports.statistics import (
    average_ranks,
    betainc,
    chi2_sf,
    f_sf,
    friedman,
    lsd_p,
    mean_sd,
    one_way_anova,
    t_two_sided,
)


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


def test_f_and_t_tails_match_published_tables():
    assert f_sf(3.0, 2, 10) == pytest.approx(0.0954, abs=1e-4)
    assert f_sf(4.10, 2, 10) == pytest.approx(0.0500, abs=5e-4)  # F(0.05; 2, 10) = 4.10
    assert t_two_sided(2.228, 10) == pytest.approx(0.05, abs=2e-4)
    assert t_two_sided(1.96, 100000) == pytest.approx(0.05, abs=1e-3)
    assert betainc(2, 3, 0.5) == pytest.approx(0.6875)


def test_one_way_anova_by_hand():
    groups = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    anova = one_way_anova(groups)
    # grand mean 5; SSB = 3·9 + 0 + 3·9 = 54 (df 2); SSW = 2 + 2 + 2 = 6 (df 6); F = 27 / 1 = 27
    assert (anova.df_between, anova.df_within) == (2, 6)
    assert anova.f == pytest.approx(27.0) and anova.mse == pytest.approx(1.0)
    assert anova.p == pytest.approx(0.001)  # df1 = 2: P = (1 + 2F/df2)^(-df2/2) = 10^-3
    t = (2 - 5) / math.sqrt(1.0 * (1 / 3 + 1 / 3))
    assert lsd_p(groups[0], groups[1], anova) == pytest.approx(t_two_sided(t, 6))
    assert one_way_anova([[1, 1], [1, 1]]) is None
    assert mean_sd([5.0]) == (5.0, None) and mean_sd([4, 6])[1] == pytest.approx(math.sqrt(2))
