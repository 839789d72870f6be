"""reports.statistics, the study's one statistics module: hand-checked cases (the ones it has always had to meet,
published tables, small tables worked by hand) and every statistic against scipy or statsmodels called directly on
the same numbers, or against a full enumeration."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.anova import AnovaRM

from reports.statistics import (
    EXACT,
    MC_SAMPLES,
    MC_SEED,
    MONTE_CARLO,
    average_ranks,
    betainc,
    chi2_sf,
    f_sf,
    freeman_halton,
    freeman_halton_statistic,
    friedman,
    logistic_regression,
    lsd_p,
    mean_sd,
    median_range,
    one_way_anova,
    quartiles,
    repeated_measures_anova,
    shapiro_wilk,
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


# --------------------------------------------------------------------------- against scipy/statsmodels called directly

PLATELETS = [[12, 25, 46, 78, 121, 134, 152, 163], [15, 41, 52, 38, 24, 19, 21, 30], [8, 10, 14, 12, 15, 18, 20, 17],
             [20, 45, 45, 60, 110, 98, 130, 141], [10, 18, 32, 45, 62, 88, 104, 121], [14, 22, 36, 48, 57, 66, 72, 80]]


def test_friedman_matches_scipy_on_the_same_counts():
    result = friedman(PLATELETS)
    expected = stats.friedmanchisquare(*np.array(PLATELETS, dtype=float).T)
    assert result.chi2 == pytest.approx(expected.statistic, rel=1e-12)
    assert result.p == pytest.approx(expected.pvalue, rel=1e-12)
    assert result.kendall_w == pytest.approx(expected.statistic / (6 * 7), rel=1e-12)
    assert result.mean_ranks == pytest.approx(tuple(stats.rankdata(PLATELETS, axis=1).mean(axis=0)))


def test_friedman_needs_three_timepoints():
    assert friedman([[1, 2], [2, 1], [1, 3]]) is None  # two related samples: a sign test, not Friedman's


@pytest.mark.parametrize("values", [[4.1, 5.0, 5.3, 5.2, 7.9, 6.1, 5.5], [12, 25, 46, 78, 121, 300, 13, 14, 15]])
def test_shapiro_wilk_matches_scipy(values):
    result = shapiro_wilk(values)
    expected = stats.shapiro(values)
    assert (result.n, result.w, result.p) == (len(values), pytest.approx(expected.statistic, rel=1e-12),
                                              pytest.approx(expected.pvalue, rel=1e-12))
    assert result.normal == (expected.pvalue >= 0.05)


@pytest.mark.parametrize("values", [[1, 2], [5, 5, 5, 5]], ids=["two-values", "all-equal"])
def test_shapiro_wilk_undefined(values):
    assert shapiro_wilk(values) is None


def test_one_way_anova_matches_scipy():
    groups = [[5.1, 5.3, 5.2, 5.4, 5.0], [5.6, 6.0, 5.9, 6.3], [7.9, 7.5, 8.4, 6.9, 7.7, 8.0]]
    result = one_way_anova(groups)
    expected = stats.f_oneway(*groups)
    assert (result.f, result.p) == (pytest.approx(expected.statistic, rel=1e-12),
                                    pytest.approx(expected.pvalue, rel=1e-12))
    # Two groups: the one-way ANOVA is Student's t test, F = t².
    two = one_way_anova(groups[:2])
    t = stats.ttest_ind(*groups[:2])
    assert (two.f, two.p) == (pytest.approx(t.statistic**2, rel=1e-12), pytest.approx(t.pvalue, rel=1e-12))


def test_repeated_measures_anova_with_two_conditions_is_the_paired_t_test():
    before, after = [5.6, 6.0, 5.1, 5.9, 5.3, 6.2], [7.8, 7.5, 5.6, 8.1, 6.9, 6.0]
    result = repeated_measures_anova(list(zip(before, after, strict=True)))
    paired = stats.ttest_rel(before, after)
    assert (result.n, result.df_num, result.df_den) == (6, 1, 5)
    assert result.f == pytest.approx(paired.statistic**2, rel=1e-9)
    assert result.p == pytest.approx(paired.pvalue, rel=1e-9)


def test_repeated_measures_anova_by_hand_and_by_statsmodels():
    rows = [[1, 3, 5], [2, 3, 7], [2, 4, 6], [1, 2, 6]]
    # grand mean 3.5; SS conditions = 4 (1.5² + 3² + 5.75²)… computed with the textbook decomposition:
    x = np.array(rows, dtype=float)
    ss_cond = 4 * ((x.mean(axis=0) - x.mean()) ** 2).sum()
    ss_subj = 3 * ((x.mean(axis=1) - x.mean()) ** 2).sum()
    ss_err = ((x - x.mean()) ** 2).sum() - ss_cond - ss_subj
    f = (ss_cond / 2) / (ss_err / 6)
    result = repeated_measures_anova(rows)
    assert (result.df_num, result.df_den) == (2, 6)
    assert result.f == pytest.approx(f, rel=1e-12)
    assert result.p == pytest.approx(stats.f.sf(f, 2, 6), rel=1e-9)
    frame = pd.DataFrame([{"s": i, "c": j, "v": v} for i, r in enumerate(rows) for j, v in enumerate(r)])
    table = AnovaRM(frame, "v", "s", within=["c"]).fit().anova_table
    assert result.f == pytest.approx(table.loc["c", "F Value"], rel=1e-12)


def test_repeated_measures_anova_undefined():
    assert repeated_measures_anova([[1, 2]]) is None  # one subject
    assert repeated_measures_anova([[1, 2], [3, 4]]) is None  # same change in everyone: no residual variance


def test_quartiles_and_median_range_match_numpy():
    values = [12, 25, 46, 78, 121, 134, 8]
    assert quartiles(values) == pytest.approx(tuple(np.percentile(values, [25, 50, 75])))
    assert quartiles([1, 2, 3, 4]) == (1.75, 2.5, 3.25)  # linear interpolation, by hand
    assert median_range([13, 51, 83, 14]) == (32.5, 13, 83)
    assert quartiles([]) is None and median_range([]) is None


# --------------------------------------------------------------------------- logistic regression

OUTCOME = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0]
FACTORS = {
    "sex": [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0],
    "age_group": [1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0],
    "months": [23.5, 13.2, 1.5, 294.0, 31.1, 9.6, 48.7, 16.0, 21.4, 12.1, 4.9, 37.3, 18.5, 7.2, 60.8, 27.0, 15.3,
               10.4],
    "platelets": [12, 15, 8, 14, 20, 18, 6, 10, 12, 17, 20, 22, 15, 25, 11, 9, 13, 7],
}


def test_logistic_regression_matches_statsmodels_on_the_same_numbers():
    result = logistic_regression(OUTCOME, FACTORS)
    design = sm.add_constant(np.column_stack(list(FACTORS.values())).astype(float))
    fit = sm.Logit(np.array(OUTCOME, dtype=float), design).fit(disp=0)
    ci = np.exp(fit.conf_int())
    assert (result.n, result.events, result.note) == (18, 11, None)
    assert [c.name for c in result.coefficients] == list(FACTORS)
    for i, c in enumerate(result.coefficients, start=1):
        assert c.b == pytest.approx(fit.params[i], rel=1e-9)
        assert c.se == pytest.approx(fit.bse[i], rel=1e-9)
        assert c.p == pytest.approx(fit.pvalues[i], rel=1e-9)
        assert c.odds_ratio == pytest.approx(math.exp(fit.params[i]), rel=1e-9)
        assert (c.ci_low, c.ci_high) == (pytest.approx(ci[i, 0], rel=1e-9), pytest.approx(ci[i, 1], rel=1e-9))
        # the CI is exp(b ± z SE), z the normal 97.5 % quantile
        z = stats.norm.ppf(0.975)
        assert c.ci_low == pytest.approx(math.exp(c.b - z * c.se), rel=1e-9)


def test_logistic_regression_with_one_factor_by_hand():
    # A 2 × 2 table: exposed 3/4 respond, unexposed 1/4. MLE: b = ln(OR) = ln((3/1) / (1/3)) = ln 9,
    # SE = sqrt(1/3 + 1/1 + 1/1 + 1/3).
    y = [1, 1, 1, 0, 1, 0, 0, 0]
    x = [1, 1, 1, 1, 0, 0, 0, 0]
    (c,) = logistic_regression(y, {"x": x}).coefficients
    assert c.b == pytest.approx(math.log(9), rel=1e-6)
    assert c.se == pytest.approx(math.sqrt(1 / 3 + 1 + 1 + 1 / 3), rel=1e-6)
    assert c.odds_ratio == pytest.approx(9, rel=1e-6)


@pytest.mark.parametrize(
    "y, factors, note, params",
    [
        ([0, 0, 0, 1, 1, 1], {"x": [1, 2, 3, 4, 5, 6]}, "separation", None),
        ([1, 1, 1, 0, 1, 0, 1, 0, 0, 1], {"male": [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]}, "separation",
         {"factors": ["male"]}),
        ([0, 0, 0, 1, 1, 1, 0, 1], {"x": [1, 2, 3, 4, 5, 6, 3.5, 3.5]}, "not_converged", None),
        ([0, 0, 1, 1, 1, 0, 1, 0, 1, 1], {"x": [1] * 10}, "constant_factor", {"factors": ["x"]}),
        ([0, 0, 1, 1, 1, 0, 1, 0, 1, 1], {"x": list(range(10)), "y": [2 * v for v in range(10)]}, "singular", None),
        ([1, 1, 1, 1], {"x": [1, 2, 3, 4]}, "no_outcome_variation", None),
        ([0, 1, 1], {"x": [1, 2, 3], "y": [3, 1, 2]}, "too_few", {"n": 3, "parameters": 3}),
    ],
    ids=["complete-separation", "binary-quasi-separation", "quasi-separation", "constant", "collinear",
         "one-outcome", "too-few"],
)
def test_logistic_regression_that_cannot_be_estimated_gives_a_note(y, factors, note, params):
    result = logistic_regression(y, factors)
    assert (result.note, result.note_params, result.coefficients) == (note, params, ())


# --------------------------------------------------------------------------- Freeman–Halton

PAPER_TABLE2 = [[18, 2, 0], [13, 6, 1], [10, 9, 1], [9, 7, 4], [8, 6, 6], [2, 4, 6]]  # NR, R, CR per timepoint


def brute_force_p(table) -> float:
    """Every table with the observed margins, each with scipy's probability (random_table.pmf)."""
    table = np.asarray(table)
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    distribution = stats.random_table(rows, cols)
    observed = distribution.pmf(table)

    def fillings(total):
        return [x for x in itertools.product(*(range(c + 1) for c in cols)) if sum(x) == total]

    p = 0.0
    for head in itertools.product(*(fillings(r) for r in rows[:-1])):
        last = cols - np.sum(head, axis=0)
        if (last >= 0).all():
            probability = distribution.pmf(np.vstack([*head, last]))
            if probability <= observed * (1 + 1e-7):
                p += probability
    return p


@pytest.mark.parametrize("table", [[[3, 1], [1, 3]], [[8, 2], [1, 5]], [[0, 5], [4, 1]], [[10, 10], [10, 10]],
                                   [[1, 9], [11, 3]]])
def test_two_by_two_is_fishers_exact_test(table):
    result = freeman_halton(table)
    assert result.method == EXACT and result.df == 1
    assert result.p == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)


def test_a_two_by_two_by_hand():
    # [[3, 1], [1, 3]]: tables by the top-left cell x = 0..4 have probabilities 1, 16, 36, 16, 1 (/70);
    # the observed (x = 3, 16/70) and the less probable ones: (1 + 16 + 16 + 1) / 70.
    assert freeman_halton([[3, 1], [1, 3]]).p == pytest.approx(34 / 70, rel=1e-12)


@pytest.mark.parametrize("table", [[[2, 0, 3], [1, 4, 0], [0, 2, 3]], [[5, 1, 0], [2, 3, 2], [0, 1, 4], [1, 1, 1]],
                                   [[3, 2, 1, 0], [0, 1, 2, 4]], [[4, 0], [0, 3], [2, 2], [1, 1]]])
def test_r_by_c_tables_match_a_full_enumeration(table):
    result = freeman_halton(table)
    assert result.method == EXACT
    assert result.p == pytest.approx(brute_force_p(table), rel=1e-9)


def test_the_job_satisfaction_table_of_rs_fisher_test_documentation():
    job = [[1, 2, 1, 0], [3, 3, 6, 1], [10, 10, 14, 9], [6, 7, 12, 11]]
    result = freeman_halton(job, work_limit=200_000_000)  # a 4 × 4 table: more work than the default allows
    assert result.method == EXACT
    assert result.p == pytest.approx(0.7827, abs=5e-5)


def test_the_papers_table2_statistic_is_the_freeman_halton_statistic():
    result = freeman_halton(PAPER_TABLE2)
    assert round(result.statistic, 3) == 29.005  # printed as χ² in the paper
    assert result.df == 10 and result.method == EXACT
    assert result.p < 0.001
    assert result.table_probability == pytest.approx(stats.random_table([20] * 5 + [12], [60, 34, 18]).pmf(
        PAPER_TABLE2), rel=1e-9)


def test_the_statistic_by_its_formula():
    table = np.array([[3, 1], [1, 3]])
    probability = 16 / 70
    gamma = (2 * math.pi) ** 0.5 * 8 ** (-1.5) * (4 * 4) ** 0.5 * (4 * 4) ** 0.5
    assert freeman_halton_statistic(table) == pytest.approx(-2 * math.log(gamma * probability), rel=1e-12)


def test_a_study_too_large_for_the_exact_test_gets_a_seeded_monte_carlo_p():
    result = freeman_halton(PAPER_TABLE2, work_limit=0)
    assert (result.method, result.samples, result.seed) == (MONTE_CARLO, MC_SAMPLES, MC_SEED)
    again = stats.fisher_exact(np.array(PAPER_TABLE2), method=stats.MonteCarloMethod(
        n_resamples=MC_SAMPLES, rng=np.random.default_rng(MC_SEED)))
    assert result.p == again.pvalue  # reproducible: same seed, same P
    exact = freeman_halton(PAPER_TABLE2).p
    assert abs(result.p - exact) < 4 * math.sqrt(exact * (1 - exact) / MC_SAMPLES) + 1 / MC_SAMPLES
    assert result.statistic == pytest.approx(29.005, abs=5e-4)


def test_empty_rows_and_columns_are_left_out_and_a_degenerate_table_has_no_test():
    with_empty = freeman_halton([[3, 1, 0], [0, 0, 0], [1, 3, 0]])
    assert with_empty.df == 1 and with_empty.p == pytest.approx(34 / 70)
    assert freeman_halton([[3, 0], [4, 0]]) is None  # one category only
    assert freeman_halton([[3, 4]]) is None
    with pytest.raises(ValueError):
        freeman_halton([[1, -1], [2, 3]])
