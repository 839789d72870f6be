"""The paper's tables built from plain rows (pure): Table 1, Table 2's test and denominators, Table 3's normality
check, Table 4 and Table 5, each against a hand count or scipy/statsmodels called directly on the same numbers."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from reports.characteristics import PatientRow, clinical_characteristics
from reports.predictors import OutcomeRow, response_factors
from reports.statistics import freeman_halton
from reports.tables import VisitRow, complete_cases, normality, response_rates, response_test
from reports.treg import TregValues, table5_section, treg_section

DAY0 = date(2025, 3, 3)


def patient(pid, *, sex="female", born=date(1975, 1, 1), diagnosed=date(2024, 3, 3), early=True,
            therapies=("glucocorticoids",)) -> PatientRow:
    return PatientRow(pid, f"ITP-{pid:03d}", sex, born, diagnosed, DAY0, early, frozenset(therapies))


# --------------------------------------------------------------------------- Table 1


@pytest.mark.parametrize("born, group", [(date(1984, 3, 3), "gt40"), (date(1984, 3, 4), "le40"),
                                         (date(1985, 3, 3), "le40")],
                         ids=["41-on-day0", "40-the-day-before-41", "exactly-40"])
def test_table1_age_groups_at_day0(born, group):
    table = clinical_characteristics([patient(1, born=born)])
    assert table["age"][group] == {"n": 1, "percent": 100.0}


@pytest.mark.parametrize("born, child", [(date(2007, 3, 3), False), (date(2007, 3, 4), True)],
                         ids=["18-on-day0", "17-on-day0"])
def test_table1_counts_children_below_18_at_day0(born, child):
    children = clinical_characteristics([patient(1, born=born)])["age"]["children"]
    assert children["n"] == (1 if child else 0)


def test_table1_by_hand():
    rows = [
        patient(1, sex="male", born=date(2011, 9, 14), diagnosed=date(2025, 1, 16), early=False,
                therapies=("glucocorticoids", "ivig")),  # 13 years, 1.5 months
        patient(2, born=date(1942, 1, 1), diagnosed=date(2000, 9, 2),
                therapies=("glucocorticoids", "cyclosporine", "tpo_ra")),  # 83, 294.0 months
        patient(3, born=date(1974, 1, 1), diagnosed=date(2023, 9, 17),
                therapies=("glucocorticoids", "tcm")),  # 51, 17.5 months
        patient(4, sex="male", born=date(1990, 6, 1), diagnosed=date(2023, 8, 18), early=None),  # 34, 18.5 months
    ]
    table = clinical_characteristics(rows)
    assert table["n"] == 4
    assert (table["age"]["median"], table["age"]["min"], table["age"]["max"]) == (42.5, 13, 83)
    assert table["age"]["le40"] == {"n": 2, "percent": 50.0} and table["age"]["gt40"] == {"n": 2, "percent": 50.0}
    assert table["age"]["children"] == {"n": 1, "percent": 25.0, "ages": [13]}
    assert table["sex"] == {"male": {"n": 2, "percent": 50.0}, "female": {"n": 2, "percent": 50.0}}
    assert table["early_glucocorticoid"] == {"effective": {"n": 2, "percent": 50.0},
                                             "ineffective": {"n": 1, "percent": 25.0},
                                             "not_recorded": {"n": 1, "percent": 25.0}}
    assert table["first_line"] == {"glucocorticoids": {"n": 4, "percent": 100.0}, "ivig": {"n": 1, "percent": 25.0}}
    assert table["second_line"]["cyclosporine"] == {"n": 1, "percent": 25.0}
    assert table["second_line"]["rituximab"] == {"n": 0, "percent": 0.0}
    assert list(table["second_line"]) == ["cyclosporine", "tpo_ra", "eltrombopag", "azathioprine", "tcm",
                                          "rituximab", "other"]
    assert table["second_line_any"] == {"n": 2, "percent": 50.0}
    months = table["months_from_diagnosis"]
    assert (months["median"], months["min"], months["max"]) == (18.0, 1.5, 294.0)


def test_table1_of_nobody():
    table = clinical_characteristics([])
    assert table["n"] == 0 and table["age"]["median"] is None and table["sex"]["male"] == {"n": 0, "percent": None}


# --------------------------------------------------------------------------- Table 2: test and denominators


def timepoint(code, nr, r, cr, ne=0):
    n = nr + r + cr + ne
    return {"visit": code, "n": n, "NR": nr, "R": r, "CR": cr, "NE": ne, "orr": round((r + cr) / n, 4) if n else None}


PAPER = [timepoint("week1", 18, 2, 0), timepoint("week2", 13, 6, 1), timepoint("week3", 10, 9, 1),
         timepoint("month1", 9, 7, 4), timepoint("month3", 8, 6, 6), timepoint("month6", 2, 4, 6)]


def test_table2_test_on_the_papers_counts():
    section = response_test(PAPER)
    expected = freeman_halton([[18, 2, 0], [13, 6, 1], [10, 9, 1], [9, 7, 4], [8, 6, 6], [2, 4, 6]])
    assert section["test"] == "freeman_halton" and section["note"] is None
    assert section["visits"] == ["week1", "week2", "week3", "month1", "month3", "month6"]
    assert section["categories"] == ["NR", "R", "CR"]
    assert round(section["statistic"], 3) == 29.005 and section["df"] == 10
    assert section["p"] == expected.p < 0.001 and section["method"] == "exact"
    assert section["samples"] is None and section["monte_carlo_se"] is None


def test_table2_test_leaves_out_ne_empty_timepoints_and_unreached_categories():
    section = response_test([timepoint("week1", 3, 1, 0, ne=2), timepoint("week2", 0, 0, 0),
                             timepoint("week3", 1, 3, 0)])
    assert section["visits"] == ["week1", "week3"] and section["categories"] == ["NR", "R"]
    assert section["table"] == [[3, 1], [1, 3]]
    assert section["p"] == pytest.approx(stats.fisher_exact([[3, 1], [1, 3]]).pvalue)


def test_table2_test_with_too_little_data_has_a_note():
    section = response_test([timepoint("week1", 3, 0, 0), timepoint("week2", 2, 0, 0)])
    assert section["note"] == "too_few" and section["p"] is None


def test_table2_rates_on_both_denominators_as_in_the_paper():
    # The paper's 6-month row: 12 evaluated (NR 2, R 4, CR 6) of 20 enrolled: 10/12 and 10/20 (its 50 %).
    (row,) = response_rates([timepoint("month6", 2, 4, 6)], enrolled={"month6": 20})
    assert row == {"visit": "month6", "responders": 10, "evaluated": 12, "rate_evaluated": 0.8333,
                   "enrolled": 20, "rate_enrolled": 0.5}
    (none,) = response_rates([timepoint("month6", 0, 0, 0)], enrolled={})
    assert (none["rate_evaluated"], none["rate_enrolled"]) == (None, None)


# --------------------------------------------------------------------------- Table 3: normality


def visits(counts: dict[int, list]) -> list[VisitRow]:
    codes = ["baseline", "week1", "week2"]
    return [VisitRow(pid, code, "NR", Decimal(value)) for pid, values in counts.items()
            for code, value in zip(codes, values, strict=False)]


def test_complete_cases_keep_patients_with_every_timepoint():
    rows = visits({1: [10, 20, 30], 2: [12, 14], 3: [8, 9, 40]})
    assert complete_cases(rows, ["baseline", "week1", "week2"]) == [[10, 20, 30], [8, 9, 40]]


def test_table3_normality_matches_scipy_and_decides_friedman():
    complete = [[10, 20, 30], [8, 9, 400], [12, 25, 31], [9, 30, 28], [11, 21, 35]]
    section = normality(complete, ["baseline", "week1", "week2"])
    for j, result in enumerate(section["timepoints"]):
        expected = stats.shapiro([row[j] for row in complete])
        assert (result["n"], result["w"], result["p"]) == (5, pytest.approx(expected.statistic),
                                                           pytest.approx(expected.pvalue))
    assert section["timepoints"][2]["normal"] is False  # the 400
    assert section["decision"] == "friedman" and section["repeated_measures_anova"] is None


def test_table3_normality_everywhere_calls_for_the_repeated_measures_anova():
    complete = [[10, 20, 31], [12, 22, 30], [11, 25, 35], [9, 19, 28], [13, 21, 33]]
    section = normality(complete, ["baseline", "week1", "week2"])
    assert section["decision"] == "repeated_measures_anova"
    anova = section["repeated_measures_anova"]
    x = np.array(complete, dtype=float)
    residual = x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + x.mean()
    f = (5 * ((x.mean(axis=0) - x.mean()) ** 2).sum() / 2) / ((residual**2).sum() / 8)
    assert anova["f"] == pytest.approx(f) and anova["df"] == [2, 8] and anova["n"] == 5


def test_table3_normality_without_enough_cases():
    section = normality([[1, 2, 3], [2, 3, 4]], ["baseline", "week1", "week2"])
    assert section["decision"] is None and section["timepoints"][0]["w"] is None


# --------------------------------------------------------------------------- Table 4

OUTCOMES = [  # male, > 40, months, baseline, month-3 category
    (True, True, 23.5, 12, "CR"), (False, True, 13.2, 15, "NR"), (False, False, 1.5, 8, "R"),
    (True, True, 294.0, 14, "R"), (False, True, 31.1, 20, "NR"), (True, False, 9.6, 18, "CR"),
    (True, True, 48.7, 6, "NR"), (False, True, 16.0, 10, "R"), (False, True, 21.4, 12, "CR"),
    (False, False, 12.1, 17, "NR"), (True, True, 4.9, 20, "R"), (False, True, 37.3, 22, "NR"),
    (False, False, 18.5, 15, "CR"), (True, False, 7.2, 25, "R"), (True, True, 60.8, 11, "NR"),
    (False, True, 27.0, 9, "CR"), (False, True, 15.3, 13, "R"), (False, False, 10.4, 7, "NR"),
]


def test_table4_against_statsmodels_and_who_is_left_out():
    rows = [OutcomeRow(*values) for values in OUTCOMES]
    rows += [OutcomeRow(False, True, 5.0, 10, None), OutcomeRow(True, True, 5.0, 10, "NE"),
             OutcomeRow(True, True, 5.0, None, "CR")]  # no month-3 visit, not evaluable, no baseline
    section = response_factors(rows)
    y = [1.0 if v[4] in ("R", "CR") else 0.0 for v in OUTCOMES]
    x = sm.add_constant(np.array([[float(v[0]), float(v[1]), v[2], v[3]] for v in OUTCOMES]))
    fit = sm.Logit(y, x).fit(disp=0)
    assert (section["n"], section["events"], section["excluded"], section["note"]) == (18, 11, 3, None)
    assert [f["factor"] for f in section["factors"]] == ["sex", "age_group", "months_from_diagnosis",
                                                         "baseline_platelets"]
    for i, factor in enumerate(section["factors"], start=1):
        assert factor["b"] == pytest.approx(fit.params[i], rel=1e-9)
        assert factor["p"] == pytest.approx(fit.pvalues[i], rel=1e-9)
        assert factor["odds_ratio"] == pytest.approx(np.exp(fit.params[i]), rel=1e-9)
        assert factor["ci_low"] == pytest.approx(np.exp(fit.conf_int()[i, 0]), rel=1e-9)
        assert factor["ci_high"] == pytest.approx(np.exp(fit.conf_int()[i, 1]), rel=1e-9)


def test_table4_separation_is_a_note_not_a_crash():
    rows = [OutcomeRow(male, i % 3 == 0, 10.0 + i, (7 * i) % 11 + 5, "CR" if male else "NR")
            for i, male in enumerate([True, False] * 6)]
    section = response_factors(rows)
    assert section["note"] == "separation" and section["note_params"] == {"factors": ["sex"]}
    assert section["factors"] == []


# --------------------------------------------------------------------------- Table 5

CONTROLS = [5.2, 5.0, 5.4, 5.1, 5.3, 5.2, 4.9]
BEFORE = {1: 5.6, 2: 6.0, 3: 5.1, 4: 5.9, 5: 5.3, 6: 6.2}
AFTER = {1: 7.8, 2: 7.5, 3: 5.6, 4: 8.1, 5: 6.9, 7: 7.0}  # patient 6 has no month-3 value, 7 no baseline


def test_table5_with_the_papers_methods_against_scipy():
    section = table5_section(TregValues(CONTROLS, BEFORE, AFTER))
    before, after = list(BEFORE.values()), list(AFTER.values())
    assert section["groups"]["controls"]["mean"] == pytest.approx(np.mean(CONTROLS))
    assert section["groups"]["before"]["sd"] == pytest.approx(np.std(before, ddof=1))
    assert section["groups"]["after"]["shapiro_wilk"]["p"] == pytest.approx(stats.shapiro(after).pvalue)
    overall = stats.f_oneway(CONTROLS, before, after)
    assert section["overall"]["f"] == pytest.approx(overall.statistic) and section["overall"]["df"] == [2, 16]
    assert section["overall"]["p"] == pytest.approx(overall.pvalue)
    controls_before, controls_after, within = section["comparisons"]
    assert controls_before["groups"] == ["controls", "before"] and controls_before["method"] == "one_way_anova"
    assert controls_before["p"] == pytest.approx(stats.ttest_ind(CONTROLS, before).pvalue)
    assert controls_after["f"] == pytest.approx(stats.ttest_ind(CONTROLS, after).statistic ** 2)
    paired = stats.ttest_rel([BEFORE[i] for i in (1, 2, 3, 4, 5)], [AFTER[i] for i in (1, 2, 3, 4, 5)])
    assert within["method"] == "repeated_measures_anova" and within["n"] == [5, 5] and within["df"] == [1, 4]
    assert within["f"] == pytest.approx(paired.statistic**2) and within["p"] == pytest.approx(paired.pvalue)


def test_the_treg_section_keeps_its_shape_and_rounding():
    section = treg_section(TregValues(CONTROLS, BEFORE, AFTER))
    assert list(section) == ["controls", "before", "after", "method", "anova", "pairwise"]
    assert section["controls"] == {"n": 7, "mean": round(np.mean(CONTROLS), 2),
                                   "sd": round(np.std(CONTROLS, ddof=1), 2)}
    overall = stats.f_oneway(CONTROLS, list(BEFORE.values()), list(AFTER.values()))
    assert section["anova"] == {"f": round(overall.statistic, 3), "df": [2, 16], "p": round(overall.pvalue, 4)}
    assert [p["groups"] for p in section["pairwise"]] == [["controls", "before"], ["controls", "after"],
                                                          ["before", "after"]]


def test_table5_without_patients():
    section = table5_section(TregValues(CONTROLS, {}, {}))
    assert section["overall"]["f"] is None and all(c["p"] is None for c in section["comparisons"])
    assert section["groups"]["before"] == {"n": 0, "mean": None, "sd": None, "shapiro_wilk": None}
