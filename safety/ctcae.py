"""CTCAE v5.0 grading of safety lab values (SPEC §5) — pure, no Django.

Values are graded exactly as the lab reported them: the value, its reference limits and the baseline are turned
into exact fractions (`fractions.Fraction`) of the analyte's standard unit (mmol/L for lipids, µmol/L for
creatinine and bilirubin, U/L for enzymes, g/L for haemoglobin, ×10⁹/L for cells), so a value exactly on a
boundary gets the grade CTCAE gives it in any unit (4.2 mg/dL creatinine with a ULN of 1.4 mg/dL is 3.0×ULN:
grade 2). `to_standard` gives the rounded standard-unit value that is stored and shown; it is never graded.
Boundaries follow CTCAE's wording: ">ULN–3×ULN" means ULN < v ≤ 3×ULN, so a value exactly at ULN is grade 0 and
exactly 3×ULN is grade 1; "<LLN–1.5" means 1.5 ≤ v < LLN.

Rules a study could not read off the table, marked [decision]:
- No grade without a reference limit (ULN for an increase, LLN for a decrease), even for terms with
  absolute thresholds (cholesterol, triglycerides, blood counts).
- Baseline "abnormal" means BL > ULN of the value being graded; without a baseline the BL-normal branch
  applies.
- Creatinine: the higher of its ×ULN and ×BL grades (×BL gives grades 2 and 3 only, as CTCAE writes).
- Cholesterol and triglycerides are graded against CTCAE's thresholds in the unit the lab reported: CTCAE's
  mg/dL and mmol/L bands are rounded conversions of each other (400 mg/dL = 10.344 mmol/L, not 10.34), so a
  value exactly on a mg/dL boundary keeps the grade CTCAE gives it in mg/dL. Grades 2–4 are absolute (a
  cholesterol above 7.75 mmol/L is grade 2 even when the lab's ULN is higher); grade 1 needs > ULN.
- Decreases (neutrophils, white cells, haemoglobin): grades 2–4 are absolute (an ANC of 1.45 ×10⁹/L is grade 2
  even when the lab's LLN is 1.4); grade 1 needs < LLN. Anaemia grade 4 ("life-threatening") is never read
  from a value.
- LDL, HDL, urea and eGFR are stored and shown but have no CTCAE lab term here: never graded.
- Platelet counts are never graded: low platelets are the disease being treated.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _


class Panel(StrEnum):
    LIPIDS = "lipids"
    LIVER = "liver"
    KIDNEY = "kidney"
    HAEMATOLOGY = "haematology"


# Labels are lazy translations: nothing here needs Django until a label is shown.
PANEL_LABELS = {Panel.LIPIDS: _("Lipids"), Panel.LIVER: _("Liver"), Panel.KIDNEY: _("Kidney"),
                Panel.HAEMATOLOGY: _("Haematology")}
# SPEC §2: lipids, liver and kidney every 14 days. Blood counts are drawn with the visits' platelet counts and
# graded when entered, but are not on the safety-lab schedule.
SCHEDULED_PANELS = (Panel.LIPIDS, Panel.LIVER, Panel.KIDNEY)

INCREASE, DECREASE = "increase", "decrease"


@dataclass(frozen=True)
class Analyte:
    code: str
    label: str  # a lazy translation
    panel: Panel
    unit: str  # the standard unit values are stored (rounded) in
    units: dict[str, Fraction]  # every accepted unit -> exact factor: value × factor = value in the standard unit
    term: str | None  # CTCAE term graded from it, None when not graded
    baseline_aware: bool = False
    default_lln: Decimal | None = None  # a typical adult range, offered as the form's initial value
    default_uln: Decimal | None = None
    direction: str = INCREASE  # graded against the ULN (increase) or the LLN (decrease)


def _one(unit: str) -> dict[str, Fraction]:
    return {unit: Fraction(1)}


CHOLESTEROL_MG_PER_MMOL = Fraction("38.67")
TRIGLYCERIDES_MG_PER_MMOL = Fraction("88.57")
CREATININE_UMOL_PER_MG = Fraction("88.4")
BILIRUBIN_UMOL_PER_MG = Fraction("17.1")
CELLS = "×10⁹/L"
CELLS_UNITS = {CELLS: Fraction(1), "10^9/L": Fraction(1), "×10³/µL": Fraction(1)}  # one number, three ways

ANALYTES: tuple[Analyte, ...] = (
    Analyte("total_cholesterol", _("Total cholesterol"), Panel.LIPIDS, "mmol/L",
            {"mmol/L": Fraction(1), "mg/dL": 1 / CHOLESTEROL_MG_PER_MMOL}, "Cholesterol high",
            default_uln=Decimal("5.20")),
    Analyte("triglycerides", _("Triglycerides"), Panel.LIPIDS, "mmol/L",
            {"mmol/L": Fraction(1), "mg/dL": 1 / TRIGLYCERIDES_MG_PER_MMOL}, "Hypertriglyceridemia",
            default_uln=Decimal("1.70")),
    Analyte("ldl", _("LDL cholesterol"), Panel.LIPIDS, "mmol/L",
            {"mmol/L": Fraction(1), "mg/dL": 1 / CHOLESTEROL_MG_PER_MMOL}, None, default_uln=Decimal("3.40")),
    Analyte("hdl", _("HDL cholesterol"), Panel.LIPIDS, "mmol/L",
            {"mmol/L": Fraction(1), "mg/dL": 1 / CHOLESTEROL_MG_PER_MMOL}, None, default_lln=Decimal("1.00")),
    Analyte("alt", _("ALT"), Panel.LIVER, "U/L", _one("U/L"), "Alanine aminotransferase increased",
            baseline_aware=True, default_uln=Decimal("40")),
    Analyte("ast", _("AST"), Panel.LIVER, "U/L", _one("U/L"), "Aspartate aminotransferase increased",
            baseline_aware=True, default_uln=Decimal("40")),
    Analyte("bilirubin", _("Total bilirubin"), Panel.LIVER, "µmol/L",
            {"µmol/L": Fraction(1), "mg/dL": BILIRUBIN_UMOL_PER_MG}, "Blood bilirubin increased",
            baseline_aware=True, default_uln=Decimal("21")),
    Analyte("alp", _("Alkaline phosphatase"), Panel.LIVER, "U/L", _one("U/L"), "Alkaline phosphatase increased",
            baseline_aware=True, default_uln=Decimal("130")),
    Analyte("ggt", _("GGT"), Panel.LIVER, "U/L", _one("U/L"), "GGT increased", baseline_aware=True,
            default_uln=Decimal("60")),
    Analyte("creatinine", _("Creatinine"), Panel.KIDNEY, "µmol/L",
            {"µmol/L": Fraction(1), "mg/dL": CREATININE_UMOL_PER_MG}, "Creatinine increased",
            baseline_aware=True, default_uln=Decimal("110")),
    Analyte("urea", _("Urea"), Panel.KIDNEY, "mmol/L", _one("mmol/L"), None, default_uln=Decimal("7.5")),
    Analyte("egfr", _("eGFR"), Panel.KIDNEY, "mL/min/1.73m²", _one("mL/min/1.73m²"), None,
            default_lln=Decimal("90")),
    # Blood counts: graded against the lab's LLN, and against the patient's baseline (see safety.protocol).
    Analyte("haemoglobin", _("Haemoglobin"), Panel.HAEMATOLOGY, "g/L", {"g/L": Fraction(1), "g/dL": Fraction(10)},
            "Anemia", baseline_aware=True, default_lln=Decimal("120"), direction=DECREASE),
    Analyte("white_cells", _("White cells"), Panel.HAEMATOLOGY, CELLS, dict(CELLS_UNITS), "White blood cell decreased",
            baseline_aware=True, default_lln=Decimal("4.0"), direction=DECREASE),
    Analyte("neutrophils", _("Neutrophils (ANC)"), Panel.HAEMATOLOGY, CELLS, dict(CELLS_UNITS),
            "Neutrophil count decreased", baseline_aware=True, default_lln=Decimal("1.8"), direction=DECREASE),
)
ANALYTES_BY_CODE = {a.code: a for a in ANALYTES}


def _unit_factor(analyte: Analyte, unit: str | None) -> Fraction:
    unit = unit or analyte.unit
    if unit not in analyte.units:
        raise ValueError(f"{analyte.code} is not reported in {unit}")
    return analyte.units[unit]


def exact(value: Decimal | int | str, *, analyte: Analyte, unit: str | None = None) -> Fraction:
    """`value` in `unit` (default: the standard unit) as an exact fraction of the standard unit."""
    return Fraction(Decimal(value)) * _unit_factor(analyte, unit)


def to_standard(value: Decimal, *, analyte: Analyte, unit: str, places: int = 4) -> Decimal:
    """`value` in `unit` in the analyte's standard unit, rounded to `places` (300 mg/dL cholesterol → 7.7580):
    what is stored and shown. Grading uses the exact values (see `exact`)."""
    converted = exact(value, analyte=analyte, unit=unit)
    return (Decimal(converted.numerator) / Decimal(converted.denominator)).quantize(Decimal(1).scaleb(-places))


def to_unit(value: Decimal | None, analyte: Analyte, unit: str, to: str) -> Decimal | None:
    """`value` in `unit` written in the unit `to` (g/dL → g/L: × 10), to 6 decimal places."""
    if value is None:
        return None
    converted = exact(value, analyte=analyte, unit=unit) / _unit_factor(analyte, to)
    return (Decimal(converted.numerator) / Decimal(converted.denominator)).quantize(Decimal("0.000001"))


@dataclass(frozen=True)
class Grade:
    term: str
    grade: int  # 1-4


_F = Fraction


def _band(ratio: Fraction, bounds: tuple) -> int:
    """Grade by upper-inclusive bands: ratio > bounds[0] → 1, > bounds[1] → 2, ... (0 when ≤ bounds[0])."""
    grade = 0
    for i, bound in enumerate(bounds):
        if ratio > bound:
            grade = i + 1
    return grade


def grade_value(*, analyte: str, value: Decimal, uln: Decimal | None = None, lln: Decimal | None = None,
                baseline: Decimal | None = None, unit: str | None = None,
                baseline_unit: str | None = None) -> Grade | None:
    """The CTCAE grade of one lab value; None when not graded (grade 0, no reference limit, or no CTCAE term).

    `value`, `uln` and `lln` are in `unit` (default: the analyte's standard unit), as the lab reported them;
    `baseline` in `baseline_unit` (default: the standard unit). Every comparison is exact.
    """
    spec = ANALYTES_BY_CODE[analyte]
    if spec.term is None:
        return None
    if spec.direction == DECREASE:
        if lln is None:
            return None
        return _grade_low(spec.term, exact(value, analyte=spec, unit=unit), exact(lln, analyte=spec, unit=unit))
    if uln is None or Decimal(uln) <= 0:
        return None
    if analyte in LIPID_BANDS:
        unit = unit if unit in LIPID_BANDS[analyte] else spec.unit
        _unit_factor(spec, unit)
        grade = _lipid(_F(Decimal(value)), _F(Decimal(uln)), LIPID_BANDS[analyte][unit],
                       absolute_start=analyte == "triglycerides")
    else:
        base = None if baseline is None else exact(baseline, analyte=spec, unit=baseline_unit)
        grade = _GRADERS[analyte](exact(value, analyte=spec, unit=unit), exact(uln, analyte=spec, unit=unit), base)
    return Grade(spec.term, grade) if grade else None


def _transaminase(value: Fraction, uln: Fraction, baseline: Fraction | None) -> int:
    if baseline is not None and baseline > uln:
        if value < _F("1.5") * baseline:
            return 0
        return max(1, _band(value / baseline, (0, 3, 5, 20)))
    return _band(value / uln, (1, 3, 5, 20))


def _bilirubin(value: Fraction, uln: Fraction, baseline: Fraction | None) -> int:
    reference = baseline if baseline is not None and baseline > uln else uln
    return _band(value / reference, (1, _F("1.5"), 3, 10))


def _alp_ggt(value: Fraction, uln: Fraction, baseline: Fraction | None) -> int:
    if baseline is not None and baseline > uln:
        if value < 2 * baseline:
            return 0
        return max(1, _band(value / baseline, (0, _F("2.5"), 5, 20)))
    return _band(value / uln, (1, _F("2.5"), 5, 20))


def _creatinine(value: Fraction, uln: Fraction, baseline: Fraction | None) -> int:
    by_uln = _band(value / uln, (1, _F("1.5"), 3, 6))
    by_bl = 0
    if baseline is not None and baseline > 0:
        ratio = value / baseline
        by_bl = 3 if ratio > 3 else 2 if ratio > _F("1.5") else 0
    return max(by_uln, by_bl)


LIPID_BANDS = {
    "total_cholesterol": {"mmol/L": (_F("7.75"), _F("10.34"), _F("12.92")), "mg/dL": (_F(300), _F(400), _F(500))},
    "triglycerides": {"mmol/L": (_F("1.71"), _F("3.42"), _F("5.7"), _F("11.4")),
                      "mg/dL": (_F(150), _F(300), _F(500), _F(1000))},
}


def _lipid(value: Fraction, uln: Fraction, bands: tuple, absolute_start: bool) -> int:
    """Cholesterol: >ULN–b1 (1), >b1–b2 (2), ... (grades 2–4 absolute, whatever the ULN);
    triglycerides: b0–b1 (1, from b0 inclusive), >b1–b2 (2), ..."""
    if absolute_start:
        if value < bands[0]:
            return 0
        return max(1, _band(value, (0, *bands[1:])))
    absolute = _band(value, bands)
    if absolute:
        return absolute + 1
    return 1 if value > uln else 0


_GRADERS = {
    "alt": _transaminase, "ast": _transaminase, "bilirubin": _bilirubin, "alp": _alp_ggt, "ggt": _alp_ggt,
    "creatinine": _creatinine,
}

# Decreases, in the analyte's standard unit: below the first bound is grade 2, below the next grade 3, ...
LOW_BANDS = {
    "Neutrophil count decreased": (_F("1.5"), _F("1.0"), _F("0.5")),
    "White blood cell decreased": (_F("3.0"), _F("2.0"), _F("1.0")),
    "Anemia": (_F(100), _F(80)),
}


def _grade_low(term: str, value: Fraction, lln: Fraction) -> Grade | None:
    if term not in LOW_BANDS:
        raise ValueError(f"{term} is not graded from a count here")
    below = sum(1 for bound in LOW_BANDS[term] if value < bound)
    grade = 1 + below if below else 1 if value < lln else 0
    return Grade(term, grade) if grade else None


def grade_low(*, term: str, value: Decimal, lln: Decimal | None) -> Grade | None:
    """Decreases graded against the LLN (neutrophils, white cells ×10⁹/L; anemia Hb g/L). Never platelets."""
    if term not in LOW_BANDS:
        raise ValueError(f"{term} is not graded from a count here")
    if lln is None:
        return None
    return _grade_low(term, _F(Decimal(value)), _F(Decimal(lln)))
