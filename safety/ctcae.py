"""CTCAE v5.0 grading of safety lab values (SPEC §5) — pure, no Django.

Values are graded in a standard unit (mmol/L for lipids, µmol/L for creatinine and bilirubin, U/L for
enzymes); `to_standard` converts what the lab reported. Boundaries follow CTCAE's wording: ">ULN–3×ULN"
means ULN < v ≤ 3×ULN, so a value exactly at ULN is grade 0 and exactly 3×ULN is grade 1.

Rules a study could not read off the table, marked [decision]:
- No grade without a reference limit (ULN for an increase, LLN for a decrease), even for terms with
  absolute thresholds (cholesterol, triglycerides).
- Baseline "abnormal" means BL > ULN of the value being graded; without a baseline the BL-normal branch
  applies.
- Creatinine: the higher of its ×ULN and ×BL grades (×BL gives grades 2 and 3 only, as CTCAE writes).
- Cholesterol and triglycerides are graded against CTCAE's thresholds in the unit the lab reported: CTCAE's
  mg/dL and mmol/L bands are rounded conversions of each other (400 mg/dL = 10.344 mmol/L, not 10.34), so a
  value exactly on a mg/dL boundary keeps the grade CTCAE gives it in mg/dL.
- LDL, HDL, urea and eGFR are stored and shown but have no CTCAE lab term here: never graded.
- Platelet counts are never graded: low platelets are the disease being treated.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Panel(StrEnum):
    LIPIDS = "lipids"
    LIVER = "liver"
    KIDNEY = "kidney"


PANEL_LABELS = {Panel.LIPIDS: "Lipids", Panel.LIVER: "Liver", Panel.KIDNEY: "Kidney"}


@dataclass(frozen=True)
class Analyte:
    code: str
    label: str
    panel: Panel
    unit: str  # the standard unit values are graded in
    units: dict[str, Decimal]  # every accepted unit -> divisor that turns it into the standard unit
    term: str | None  # CTCAE term graded from it, None when not graded
    baseline_aware: bool = False
    default_lln: Decimal | None = None  # a typical adult range, offered as the form's initial value
    default_uln: Decimal | None = None


def _one(unit: str) -> dict[str, Decimal]:
    return {unit: Decimal(1)}


CHOLESTEROL_MG_PER_MMOL = Decimal("38.67")
TRIGLYCERIDES_MG_PER_MMOL = Decimal("88.57")
CREATININE_UMOL_PER_MG = Decimal("88.4")
BILIRUBIN_UMOL_PER_MG = Decimal("17.1")

ANALYTES: tuple[Analyte, ...] = (
    Analyte("total_cholesterol", "Total cholesterol", Panel.LIPIDS, "mmol/L",
            {"mmol/L": Decimal(1), "mg/dL": CHOLESTEROL_MG_PER_MMOL}, "Cholesterol high",
            default_uln=Decimal("5.20")),
    Analyte("triglycerides", "Triglycerides", Panel.LIPIDS, "mmol/L",
            {"mmol/L": Decimal(1), "mg/dL": TRIGLYCERIDES_MG_PER_MMOL}, "Hypertriglyceridemia",
            default_uln=Decimal("1.70")),
    Analyte("ldl", "LDL cholesterol", Panel.LIPIDS, "mmol/L",
            {"mmol/L": Decimal(1), "mg/dL": CHOLESTEROL_MG_PER_MMOL}, None, default_uln=Decimal("3.40")),
    Analyte("hdl", "HDL cholesterol", Panel.LIPIDS, "mmol/L",
            {"mmol/L": Decimal(1), "mg/dL": CHOLESTEROL_MG_PER_MMOL}, None, default_lln=Decimal("1.00")),
    Analyte("alt", "ALT", Panel.LIVER, "U/L", _one("U/L"), "Alanine aminotransferase increased",
            baseline_aware=True, default_uln=Decimal("40")),
    Analyte("ast", "AST", Panel.LIVER, "U/L", _one("U/L"), "Aspartate aminotransferase increased",
            baseline_aware=True, default_uln=Decimal("40")),
    Analyte("bilirubin", "Total bilirubin", Panel.LIVER, "µmol/L",
            {"µmol/L": Decimal(1), "mg/dL": 1 / BILIRUBIN_UMOL_PER_MG}, "Blood bilirubin increased",
            baseline_aware=True, default_uln=Decimal("21")),
    Analyte("alp", "Alkaline phosphatase", Panel.LIVER, "U/L", _one("U/L"), "Alkaline phosphatase increased",
            baseline_aware=True, default_uln=Decimal("130")),
    Analyte("ggt", "GGT", Panel.LIVER, "U/L", _one("U/L"), "GGT increased", baseline_aware=True,
            default_uln=Decimal("60")),
    Analyte("creatinine", "Creatinine", Panel.KIDNEY, "µmol/L",
            {"µmol/L": Decimal(1), "mg/dL": 1 / CREATININE_UMOL_PER_MG}, "Creatinine increased",
            baseline_aware=True, default_uln=Decimal("110")),
    Analyte("urea", "Urea", Panel.KIDNEY, "mmol/L", _one("mmol/L"), None, default_uln=Decimal("7.5")),
    Analyte("egfr", "eGFR", Panel.KIDNEY, "mL/min/1.73m²", _one("mL/min/1.73m²"), None,
            default_lln=Decimal("90")),
)
ANALYTES_BY_CODE = {a.code: a for a in ANALYTES}


def to_standard(value: Decimal, *, analyte: Analyte, unit: str) -> Decimal:
    """`value` in `unit` converted to the analyte's standard unit (mg/dL ÷ 38.67 = mmol/L cholesterol, ...)."""
    if unit not in analyte.units:
        raise ValueError(f"{analyte.label} is not reported in {unit}")
    return Decimal(value) / analyte.units[unit]


@dataclass(frozen=True)
class Grade:
    term: str
    grade: int  # 1-4


def _band(ratio: Decimal, bounds: tuple[Decimal, ...]) -> int:
    """Grade by upper-inclusive bands: ratio > bounds[0] → 1, > bounds[1] → 2, ... (0 when ≤ bounds[0])."""
    grade = 0
    for i, bound in enumerate(bounds):
        if ratio > bound:
            grade = i + 1
    return grade


_D = Decimal


def grade_value(*, analyte: str, value: Decimal, uln: Decimal | None, lln: Decimal | None = None,
                baseline: Decimal | None = None, unit: str | None = None) -> Grade | None:
    """The CTCAE grade of one lab value (value, ULN and BL in the analyte's standard unit; `unit` is the unit the
    lab reported, for the lipid bands); None when not graded (grade 0, no reference limit, or no CTCAE term)."""
    spec = ANALYTES_BY_CODE[analyte]
    if spec.term is None or uln is None or uln <= 0:
        return None
    value, uln = _D(value), _D(uln)
    if analyte in LIPID_BANDS:
        unit = unit if unit in LIPID_BANDS[analyte] else spec.unit
        factor, places = spec.units[unit], _D("0.000001")  # back in the reported unit, free of division noise
        grade = _lipid((value * factor).quantize(places), (uln * factor).quantize(places),
                       LIPID_BANDS[analyte][unit], absolute_start=analyte == "triglycerides")
    else:
        grade = _GRADERS[analyte](value, uln, None if baseline is None else _D(baseline))
    return Grade(spec.term, grade) if grade else None


def _transaminase(value: Decimal, uln: Decimal, baseline: Decimal | None) -> int:
    if baseline is not None and baseline > uln:
        if value < _D("1.5") * baseline:
            return 0
        return max(1, _band(value / baseline, (_D(0), _D(3), _D(5), _D(20))))
    return _band(value / uln, (_D(1), _D(3), _D(5), _D(20)))


def _bilirubin(value: Decimal, uln: Decimal, baseline: Decimal | None) -> int:
    if baseline is not None and baseline > uln:
        return _band(value / baseline, (_D(1), _D("1.5"), _D(3), _D(10)))
    return _band(value / uln, (_D(1), _D("1.5"), _D(3), _D(10)))


def _alp_ggt(value: Decimal, uln: Decimal, baseline: Decimal | None) -> int:
    if baseline is not None and baseline > uln:
        if value < 2 * baseline:
            return 0
        return max(1, _band(value / baseline, (_D(0), _D("2.5"), _D(5), _D(20))))
    return _band(value / uln, (_D(1), _D("2.5"), _D(5), _D(20)))


def _creatinine(value: Decimal, uln: Decimal, baseline: Decimal | None) -> int:
    by_uln = _band(value / uln, (_D(1), _D("1.5"), _D(3), _D(6)))
    by_bl = 0
    if baseline is not None and baseline > 0:
        ratio = value / baseline
        by_bl = 3 if ratio > 3 else 2 if ratio > _D("1.5") else 0
    return max(by_uln, by_bl)


LIPID_BANDS = {
    "total_cholesterol": {"mmol/L": (_D("7.75"), _D("10.34"), _D("12.92")), "mg/dL": (_D(300), _D(400), _D(500))},
    "triglycerides": {"mmol/L": (_D("1.71"), _D("3.42"), _D("5.7"), _D("11.4")),
                      "mg/dL": (_D(150), _D(300), _D(500), _D(1000))},
}


def _lipid(value: Decimal, uln: Decimal, bands: tuple[Decimal, ...], absolute_start: bool) -> int:
    """Cholesterol: >ULN–b1 (1), >b1–b2 (2), ...; triglycerides: b0–b1 (1, from b0 inclusive), >b1–b2 (2), ..."""
    if absolute_start:
        if value < bands[0]:
            return 0
        return max(1, _band(value, (_D(0), *bands[1:])))
    if value <= uln:
        return 0
    return max(1, _band(value, (_D(0), *bands)))


_GRADERS = {
    "alt": _transaminase, "ast": _transaminase, "bilirubin": _bilirubin, "alp": _alp_ggt, "ggt": _alp_ggt,
    "creatinine": _creatinine,
}


def grade_low(*, term: str, value: Decimal, lln: Decimal | None) -> Grade | None:
    """Decreases graded against the LLN (neutrophils, white cells ×10⁹/L; anemia Hb g/L). Never platelets."""
    if lln is None:
        return None
    value = _D(value)
    if value >= lln:
        return None
    bounds = {"Neutrophil count decreased": (_D("1.5"), _D("1.0"), _D("0.5")),
              "White blood cell decreased": (_D("3.0"), _D("2.0"), _D("1.0")),
              "Anemia": (_D(100), _D(80))}
    if term not in bounds:
        raise ValueError(f"{term} is not graded from a count here")
    grade = 1 + sum(1 for bound in bounds[term] if value < bound)
    return Grade(term, grade)
