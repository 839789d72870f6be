"""The paper's Table 1: clinical characteristics of the enrolled patients (pure; from plain rows).

Ages are whole years at day 0 (the first sirolimus dose); children are < 18 then (SPEC §1). Months from diagnosis
to day 0 use a mean month of 30.4375 days, to one decimal, per patient. Percentages are of all enrolled patients,
to one decimal. Every vocabulary therapy is listed, with 0 where nobody had it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from patients.demographics import CHILD_BELOW_AGE, age_in_years, months_between
from patients.vocabulary import FIRST_LINE, Therapy

from .statistics import median_range

AGE_CUT = 40  # the paper's groups: ≤ 40 and > 40 years
FIRST_LINE_ORDER = (Therapy.GLUCOCORTICOIDS, Therapy.IVIG)
SECOND_LINE_ORDER = tuple(t for t in Therapy if t not in FIRST_LINE)


@dataclass(frozen=True)
class PatientRow:
    patient_id: int
    study_id: str
    sex: str
    birth_date: date
    diagnosis_date: date
    start_date: date
    early_steroid_effective: bool | None
    therapies: frozenset[str]


def _share(count: int, total: int) -> dict:
    return {"n": count, "percent": round(100 * count / total, 1) if total else None}


def _median_range(values: Sequence[float]) -> dict:
    found = median_range(values)
    if found is None:
        return {"median": None, "min": None, "max": None}
    median, low, high = found
    return {"median": median, "min": low, "max": high}


def clinical_characteristics(patients: Sequence[PatientRow]) -> dict:
    """The `table1` section of the study report."""
    n = len(patients)
    ages = [age_in_years(p.birth_date, p.start_date) for p in patients]
    months = [months_between(p.diagnosis_date, p.start_date) for p in patients]
    early = [p.early_steroid_effective for p in patients]
    children = sorted(age for age in ages if age < CHILD_BELOW_AGE)
    return {
        "n": n,
        "age": {
            **_median_range(ages),
            "le40": _share(sum(1 for a in ages if a <= AGE_CUT), n),
            "gt40": _share(sum(1 for a in ages if a > AGE_CUT), n),
            "children": {**_share(len(children), n), "ages": children},
        },
        "sex": {sex: _share(sum(1 for p in patients if p.sex == sex), n) for sex in ("male", "female")},
        "early_glucocorticoid": {
            "effective": _share(early.count(True), n),
            "ineffective": _share(early.count(False), n),
            "not_recorded": _share(early.count(None), n),
        },
        "first_line": {t.value: _share(sum(1 for p in patients if t in p.therapies), n) for t in FIRST_LINE_ORDER},
        "second_line": {t.value: _share(sum(1 for p in patients if t in p.therapies), n) for t in SECOND_LINE_ORDER},
        "second_line_any": _share(sum(1 for p in patients if p.therapies - FIRST_LINE), n),
        "months_from_diagnosis": _median_range(months),
    }
