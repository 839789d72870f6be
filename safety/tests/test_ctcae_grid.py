"""Every CTCAE boundary in every unit a lab may report, graded exactly (SPEC §5: "a boundary value in mg/dL gets
the grade CTCAE gives it").

For each analyte and unit the reference limit walks a grid (e.g. creatinine ULN 0.30–3.00 mg/dL in steps of 0.01);
at each boundary k × ULN the value exactly on it gets the lower grade and a value 0.001 above it the next one.
Before grading was exact, 196 of the 1,084 creatinine mg/dL boundary points (e.g. 4.2 mg/dL with ULN 1.4 mg/dL,
3 × ULN) were graded one step too high.
"""

from decimal import Decimal as D

import pytest

from safety.ctcae import grade_low, grade_value

STEP = D("0.001")


def grid(low: str, high: str, step: str):
    value = D(low)
    while value <= D(high):
        yield value
        value += D(step)


def graded(analyte, value, *, unit, uln=None, lln=None, baseline=None, baseline_unit=None) -> int:
    result = grade_value(analyte=analyte, value=value, unit=unit, uln=uln, lln=lln, baseline=baseline,
                         baseline_unit=baseline_unit)
    return result.grade if result else 0


# (analyte, unit, ULN grid, multiples of ULN that end grades 0, 1, 2, 3)
ULN_MULTIPLES = [
    ("creatinine", "mg/dL", ("0.30", "3.00", "0.01"), ("1", "1.5", "3", "6")),
    ("creatinine", "µmol/L", ("26", "265", "1"), ("1", "1.5", "3", "6")),
    ("bilirubin", "mg/dL", ("0.30", "3.00", "0.01"), ("1", "1.5", "3", "10")),
    ("bilirubin", "µmol/L", ("5", "51", "0.5"), ("1", "1.5", "3", "10")),
    ("alt", "U/L", ("10", "80", "1"), ("1", "3", "5", "20")),
    ("ast", "U/L", ("10", "80", "1"), ("1", "3", "5", "20")),
    ("alp", "U/L", ("40", "200", "1"), ("1", "2.5", "5", "20")),
    ("ggt", "U/L", ("10", "100", "1"), ("1", "2.5", "5", "20")),
]


@pytest.mark.parametrize("analyte, unit, uln_grid, multiples", ULN_MULTIPLES,
                         ids=[f"{a}-{u}" for a, u, *_ in ULN_MULTIPLES])
def test_every_uln_multiple_boundary_in_every_unit(analyte, unit, uln_grid, multiples):
    wrong, points = [], 0
    for uln in grid(*uln_grid):
        for grade_below, k in enumerate(D(m) for m in multiples):
            for value, expected in ((k * uln, grade_below), (k * uln + STEP, grade_below + 1)):
                points += 1
                got = graded(analyte, value, unit=unit, uln=uln)
                if got != expected:
                    wrong.append((str(value), str(uln), got, expected))
    assert points > 400
    assert wrong == []


def test_the_issue_examples_are_graded_as_ctcae_says():
    assert graded("creatinine", D("4.2"), unit="mg/dL", uln=D("1.4")) == 2  # exactly 3 × ULN
    assert graded("creatinine", D("7.8"), unit="mg/dL", uln=D("1.3")) == 3  # exactly 6 × ULN
    assert graded("creatinine", D("4.201"), unit="mg/dL", uln=D("1.4")) == 3


# Baseline-abnormal bands (× BL), with the baseline reported in the other unit than the value.
@pytest.mark.parametrize("analyte, uln_umol, bases, multiples, grades", [
    # creatinine: > 1.5 × BL is grade 2, > 3 × BL grade 3 (ULN kept far so ×ULN stays below)
    ("creatinine", "1000", ("0.50", "1.50", "0.01"), ("1.5", "3"), ((0, 2), (2, 3))),
    # bilirubin with BL above ULN: > 1 × BL grade 1, > 1.5 × BL grade 2, > 3 × BL grade 3, > 10 × BL grade 4
    ("bilirubin", "5", ("0.50", "1.50", "0.01"), ("1", "1.5", "3", "10"), ((0, 1), (1, 2), (2, 3), (3, 4))),
])
def test_baseline_multiples_with_the_baseline_in_another_unit(analyte, uln_umol, bases, multiples, grades):
    wrong = []
    for base_mg in grid(*bases):
        base_umol = base_mg * (D("88.4") if analyte == "creatinine" else D("17.1"))
        for k, (at, above) in zip((D(m) for m in multiples), grades, strict=True):
            for value, expected in ((k * base_mg, at), (k * base_mg + STEP, above)):
                got = graded(analyte, value, unit="mg/dL", uln=D(uln_umol) / (D("88.4") if analyte == "creatinine"
                                                                               else D("17.1")),
                             baseline=base_umol, baseline_unit="µmol/L")
                if got != expected:
                    wrong.append((str(value), str(base_mg), got, expected))
    assert wrong == []


# Lipids: grade 1 from the ULN, grades 2–4 from CTCAE's absolute thresholds in the unit reported.
LIPIDS = [
    ("total_cholesterol", "mmol/L", ("3.50", "9.50", "0.01"), ("7.75", "10.34", "12.92")),
    ("total_cholesterol", "mg/dL", ("140", "360", "1"), ("300", "400", "500")),
]


@pytest.mark.parametrize("analyte, unit, uln_grid, thresholds", LIPIDS, ids=[u for _, u, *_ in LIPIDS])
def test_cholesterol_every_boundary_whatever_the_uln(analyte, unit, uln_grid, thresholds):
    wrong = []
    first = D(thresholds[0])
    for uln in grid(*uln_grid):
        checks = []
        if uln < first:
            checks += [(uln, 0), (uln + STEP, 1), (first, 1)]
        else:  # a ULN at or above 7.75 mmol/L: above 7.75 is grade 2 even below the ULN
            checks += [(first, 0)] + ([(uln, 2)] if uln > first else [])  # at the ULN, above 7.75
        checks += [(first + STEP, 2)]
        for grade_below, t in enumerate((D(t) for t in thresholds[1:]), start=2):
            checks += [(t, grade_below), (t + STEP, grade_below + 1)]
        for value, expected in checks:
            got = graded(analyte, value, unit=unit, uln=uln)
            if got != expected:
                wrong.append((str(value), str(uln), got, expected))
    assert wrong == []


@pytest.mark.parametrize("unit, thresholds", [("mmol/L", ("1.71", "3.42", "5.7", "11.4")),
                                              ("mg/dL", ("150", "300", "500", "1000"))])
def test_triglycerides_every_boundary(unit, thresholds):
    start, *upper = (D(t) for t in thresholds)
    uln = start - 1 if unit == "mg/dL" else D("1.70")
    assert graded("triglycerides", start - STEP, unit=unit, uln=uln) == 0
    assert graded("triglycerides", start, unit=unit, uln=uln) == 1  # "1.71–3.42": the start is inclusive
    for grade_below, t in enumerate(upper, start=1):
        assert graded("triglycerides", t, unit=unit, uln=uln) == grade_below
        assert graded("triglycerides", t + STEP, unit=unit, uln=uln) == grade_below + 1


@pytest.mark.parametrize("uln", ["7.75", "8.00", "9.20"])
def test_cholesterol_with_a_uln_at_or_above_7_75_is_grade_2_above_7_75(uln):
    # Before: every value between 7.75 and the ULN was grade 0.
    assert graded("total_cholesterol", D("7.76"), unit="mmol/L", uln=D(uln)) == 2
    assert graded("total_cholesterol", D("7.75"), unit="mmol/L", uln=D(uln)) == 0


# Decreases: "<LLN–b1" is grade 1, "<b1–b2" grade 2, ...: grades 2–4 are absolute whatever the LLN.
DECREASES = [
    ("neutrophils", "×10⁹/L", ("0.80", "2.50", "0.01"), ("1.5", "1.0", "0.5")),
    ("neutrophils", "×10³/µL", ("0.80", "2.50", "0.01"), ("1.5", "1.0", "0.5")),
    ("white_cells", "×10⁹/L", ("2.00", "5.00", "0.01"), ("3.0", "2.0", "1.0")),
    ("haemoglobin", "g/L", ("90", "140", "1"), ("100", "80")),
    ("haemoglobin", "g/dL", ("9.0", "14.0", "0.1"), ("10.0", "8.0")),
]


@pytest.mark.parametrize("analyte, unit, lln_grid, bounds", DECREASES, ids=[f"{a}-{u}" for a, u, *_ in DECREASES])
def test_every_decrease_boundary_whatever_the_lln(analyte, unit, lln_grid, bounds):
    wrong = []
    bounds = [D(b) for b in bounds]
    for lln in grid(*lln_grid):
        checks = []
        if lln > bounds[0]:
            checks += [(lln, 0), (lln - STEP, 1), (bounds[0], 1)]
        else:  # the LLN at or below the grade-2 cut-off: nothing is grade 1
            checks += [(bounds[0], 0)]
        for grade_at, b in enumerate(bounds, start=1):
            checks += [(b - STEP, grade_at + 1)]
            if grade_at > 1:
                checks += [(b, grade_at)]
        for value, expected in checks:
            got = graded(analyte, value, unit=unit, lln=lln)
            if got != expected:
                wrong.append((str(value), str(lln), got, expected))
    assert wrong == []


def test_anc_just_below_1_5_is_grade_2_when_the_lln_is_lower():
    # Before: 1.45 with an LLN of 1.4 was not graded at all.
    result = grade_low(term="Neutrophil count decreased", value=D("1.45"), lln=D("1.4"))
    assert (result.term, result.grade) == ("Neutrophil count decreased", 2)
    assert graded("neutrophils", D("1.45"), unit="×10⁹/L", lln=D("1.4")) == 2


def test_blood_counts_without_an_lln_are_not_graded():
    assert graded("neutrophils", D("0.2"), unit="×10⁹/L") == 0
    assert graded("haemoglobin", D("60"), unit="g/L") == 0
