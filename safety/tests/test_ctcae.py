"""CTCAE v5.0 lab grading at every boundary (SPEC §5), and unit conversion."""

from decimal import Decimal as D

import pytest

from safety.ctcae import ANALYTES_BY_CODE, grade_low, grade_value, to_standard
from safety.terms import TERMS, find_term, grade_definitions


def g(analyte, value, uln=None, baseline=None):
    result = grade_value(analyte=analyte, value=D(str(value)), uln=None if uln is None else D(str(uln)),
                         baseline=None if baseline is None else D(str(baseline)))
    return 0 if result is None else result.grade


@pytest.mark.parametrize("analyte", ["alt", "ast"])
@pytest.mark.parametrize("value, grade", [
    (39.9, 0), (40, 0), (40.1, 1), (120, 1), (120.1, 2), (200, 2), (200.1, 3), (800, 3), (800.1, 4),
])
def test_transaminases_with_normal_baseline_grade_by_uln(analyte, value, grade):
    assert g(analyte, value, uln=40, baseline=30) == grade
    assert g(analyte, value, uln=40) == grade  # no baseline: the BL-normal branch


@pytest.mark.parametrize("value, grade", [
    (74.9, 0), (75, 1), (150, 1), (150.1, 2), (250, 2), (250.1, 3), (1000, 3), (1000.1, 4),
])
def test_transaminases_with_abnormal_baseline_grade_by_baseline(value, grade):
    assert g("alt", value, uln=40, baseline=50) == grade  # BL 50 > ULN 40: ×BL bands


def test_baseline_exactly_at_uln_counts_as_normal():
    assert g("alt", 41, uln=40, baseline=40) == 1


@pytest.mark.parametrize("value, grade", [
    (21, 0), (21.1, 1), (31.5, 1), (31.6, 2), (63, 2), (63.1, 3), (210, 3), (210.1, 4),
])
def test_bilirubin_baseline_normal(value, grade):
    assert g("bilirubin", value, uln=21, baseline=10) == grade


@pytest.mark.parametrize("value, grade", [(30, 0), (30.1, 1), (45, 1), (45.1, 2), (90.1, 3), (300.1, 4)])
def test_bilirubin_baseline_abnormal_grades_by_baseline(value, grade):
    assert g("bilirubin", value, uln=21, baseline=30) == grade


@pytest.mark.parametrize("analyte", ["alp", "ggt"])
@pytest.mark.parametrize("value, grade", [(100, 0), (100.1, 1), (250, 1), (250.1, 2), (500, 2), (500.1, 3),
                                          (2000, 3), (2000.1, 4)])
def test_alp_and_ggt_baseline_normal(analyte, value, grade):
    assert g(analyte, value, uln=100, baseline=80) == grade


@pytest.mark.parametrize("value, grade", [(299, 0), (300, 1), (375, 1), (375.1, 2), (750.1, 3), (3000.1, 4)])
def test_alp_baseline_abnormal_starts_at_twice_baseline(value, grade):
    assert g("alp", value, uln=100, baseline=150) == grade


@pytest.mark.parametrize("value, baseline, grade", [
    (100, None, 0), (100.1, None, 1), (150, None, 1), (150.1, None, 2), (300, None, 2), (300.1, None, 3),
    (600, None, 3), (600.1, None, 4),
    (90, 60, 0),  # 1.5×BL exactly, below ULN: grade 0
    (91, 60, 2),  # >1.5×BL beats the ×ULN grade 0
    (120, 60, 2),  # ×ULN says 1, ×BL says 2: the higher
    (181, 60, 3),  # >3×BL: grade 3 although ×ULN says 2
    (601, 60, 4),  # ×ULN grade 4 beats ×BL grade 3
])
def test_creatinine_takes_the_higher_of_uln_and_baseline_grades(value, baseline, grade):
    assert g("creatinine", value, uln=100, baseline=baseline) == grade


@pytest.mark.parametrize("value, grade", [
    (5.2, 0), (5.21, 1), (7.75, 1), (7.76, 2), (10.34, 2), (10.35, 3), (12.92, 3), (12.93, 4),
])
def test_cholesterol_mmol_bands(value, grade):
    assert g("total_cholesterol", value, uln=5.2) == grade


@pytest.mark.parametrize("value, grade", [
    (1.70, 0), (1.71, 1), (3.42, 1), (3.43, 2), (5.7, 2), (5.71, 3), (11.4, 3), (11.41, 4),
])
def test_triglyceride_bands(value, grade):
    assert g("triglycerides", value, uln=1.7) == grade


@pytest.mark.parametrize("analyte, value", [("alt", 900), ("creatinine", 900), ("total_cholesterol", 15),
                                            ("triglycerides", 20), ("bilirubin", 500)])
def test_no_grade_without_uln(analyte, value):
    assert g(analyte, value, uln=None, baseline=10) == 0


@pytest.mark.parametrize("analyte", ["ldl", "hdl", "urea", "egfr"])
def test_analytes_without_a_ctcae_lab_term_are_never_graded(analyte):
    assert g(analyte, 10_000, uln=1) == 0


def test_graded_value_names_its_term():
    result = grade_value(analyte="alt", value=D(100), uln=D(40))
    assert (result.term, result.grade) == ("Alanine aminotransferase increased", 1)


@pytest.mark.parametrize("term, value, lln, grade", [
    ("Neutrophil count decreased", "2.0", "2.0", 0), ("Neutrophil count decreased", "1.9", "2.0", 1),
    ("Neutrophil count decreased", "1.5", "2.0", 1), ("Neutrophil count decreased", "1.49", "2.0", 2),
    ("Neutrophil count decreased", "0.99", "2.0", 3), ("Neutrophil count decreased", "0.49", "2.0", 4),
    ("White blood cell decreased", "3.0", "4.0", 1), ("White blood cell decreased", "2.9", "4.0", 2),
    ("White blood cell decreased", "0.9", "4.0", 4), ("Anemia", "100", "120", 1), ("Anemia", "99", "120", 2),
    ("Anemia", "79", "120", 3),
])
def test_decreases_grade_against_lln(term, value, lln, grade):
    result = grade_low(term=term, value=D(value), lln=D(lln))
    assert (result.grade if result else 0) == grade


def test_decreases_need_an_lln_and_platelets_are_never_graded():
    assert grade_low(term="Anemia", value=D(50), lln=None) is None
    with pytest.raises(ValueError):
        grade_low(term="Platelet count decreased", value=D(5), lln=D(150))
    assert "platelets" not in ANALYTES_BY_CODE
    assert find_term("Platelet count decreased") is None


@pytest.mark.parametrize("analyte, unit, value, expected", [
    ("total_cholesterol", "mg/dL", "300", "7.758"), ("triglycerides", "mg/dL", "150", "1.694"),
    ("creatinine", "mg/dL", "1.0", "88.4"), ("bilirubin", "mg/dL", "1.0", "17.1"),
    ("alt", "U/L", "55", "55"),
])
def test_units_are_converted_to_the_grading_unit(analyte, unit, value, expected):
    converted = to_standard(D(value), analyte=ANALYTES_BY_CODE[analyte], unit=unit)
    assert round(converted, 3) == D(expected)


@pytest.mark.parametrize("analyte, mg_dl, grade", [
    ("total_cholesterol", "300", 1), ("total_cholesterol", "300.1", 2), ("total_cholesterol", "400", 2),
    ("total_cholesterol", "400.1", 3), ("total_cholesterol", "500.1", 4),
    ("triglycerides", "149", 0), ("triglycerides", "150", 1), ("triglycerides", "300", 1),
    ("triglycerides", "300.1", 2), ("triglycerides", "1000.1", 4),
])
def test_lipids_reported_in_mg_dl_keep_ctcae_mg_dl_boundaries(analyte, mg_dl, grade):
    result = grade_value(analyte=analyte, value=D(mg_dl), uln=D("140"), unit="mg/dL")
    assert (result.grade if result else 0) == grade


def test_units_other_than_the_labs_are_refused():
    with pytest.raises(ValueError):
        to_standard(D(1), analyte=ANALYTES_BY_CODE["alt"], unit="mg/dL")
    with pytest.raises(ValueError):
        grade_value(analyte="creatinine", value=D(1), uln=D(1), unit="g/L")


def test_vocabulary_has_the_spec_terms_with_grade_definitions():
    for name in ("Rash acneiform", "Diarrhea", "Rash maculo-papular", "Alanine aminotransferase increased",
                 "Mucositis oral", "Cholesterol high", "Hypertriglyceridemia", "Upper respiratory infection",
                 "Arthralgia", "Edema limbs", "Hypertension", "Proteinuria", "Creatinine increased"):
        assert find_term(name.upper()) is not None, name
    assert find_term("acne").name == "Rash acneiform"
    assert 4 not in find_term("Arthralgia").grades
    assert grade_definitions(None)[5] == "Death related to AE"
    assert all(t.soc and t.grades for t in TERMS)
    assert all(t.meddra == "" or (t.meddra.isdigit() and len(t.meddra) == 8) for t in TERMS)
