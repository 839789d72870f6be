"""The paper's Table 2 (response per timepoint) and Table 3 (median platelets), from plain rows (pure)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from .statistics import ALPHA, freeman_halton, repeated_measures_anova, shapiro_wilk

CATEGORIES = ("NR", "R", "CR", "NE")


@dataclass(frozen=True)
class VisitRow:
    patient_id: int
    code: str  # schedule code of the visit's slot
    category: str
    platelets: Decimal


def _median(values: list[Decimal]) -> float | None:
    return float(median(values)) if values else None


def response_tables(rows: Iterable[VisitRow], *, timepoints: Sequence[str], baseline_code: str) -> dict:
    """{"baseline": {...}, "timepoints": [...]}: the stable shape of `study_report --json`."""
    by_code: dict[str, list[VisitRow]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    baseline_rows = by_code.get(baseline_code, [])
    result = {
        "baseline": {"n": len(baseline_rows), "median_platelets": _median([r.platelets for r in baseline_rows])},
        "timepoints": [],
    }
    for code in timepoints:
        at = by_code.get(code, [])
        n = len(at)
        counts = {c: sum(1 for r in at if r.category == c) for c in CATEGORIES}
        result["timepoints"].append({
            "visit": code,
            "n": n,
            **counts,
            "orr": round((counts["R"] + counts["CR"]) / n, 4) if n else None,
            "median_platelets": _median([r.platelets for r in at]),
        })
    return result


# The exact test of Table 2 is on the evaluable categories; NE (not evaluable) visits are left out of it.
TESTED_CATEGORIES = ("NR", "R", "CR")


def response_test(timepoints: Sequence[dict]) -> dict:
    """The `table2_test` section: Freeman–Halton test of timepoint × response category (NR, R, CR).

    Timepoints without an evaluable visit and categories nobody reached are left out of the tested table."""
    table = [[t[c] for c in TESTED_CATEGORIES] for t in timepoints]
    result = freeman_halton(table)
    visits = [t["visit"] for t, row in zip(timepoints, table, strict=True) if sum(row)]
    categories = [c for j, c in enumerate(TESTED_CATEGORIES) if any(row[j] for row in table)]
    section = {"test": "freeman_halton", "visits": visits, "categories": categories,
               "table": [[row[TESTED_CATEGORIES.index(c)] for c in categories] for row in table if sum(row)],
               "statistic": None, "df": None, "p": None, "method": None, "samples": None, "seed": None,
               "monte_carlo_se": None}
    if result is None:
        return {**section, "note": "too_few"}
    section.update(statistic=result.statistic, df=result.df, p=result.p, method=result.method,
                   samples=result.samples, seed=result.seed)
    if result.samples:
        section["monte_carlo_se"] = (result.p * (1 - result.p) / result.samples) ** 0.5
    return {**section, "note": None}


def response_rates(timepoints: Sequence[dict], *, enrolled: dict[str, int]) -> list[dict]:
    """The `table2_rates` section: (R + CR) over two denominators per timepoint.

    `evaluated`: patients with a visit at the timepoint (Table 2's n; NE visits included), so `rate_evaluated`
    equals the timepoint's `orr`. `enrolled`: patients enrolled whose window for the timepoint has closed or who
    have a visit there (a patient without an evaluable visit counts as not responding), `enrolled[code]`."""
    rows = []
    for t in timepoints:
        responders, n, m = t["R"] + t["CR"], t["n"], enrolled.get(t["visit"], 0)
        rows.append({"visit": t["visit"], "responders": responders,
                     "evaluated": n, "rate_evaluated": round(responders / n, 4) if n else None,
                     "enrolled": m, "rate_enrolled": round(responders / m, 4) if m else None})
    return rows


def complete_cases(rows: Iterable[VisitRow], codes: Sequence[str]) -> list[list[float]]:
    """One row per patient with a count at every code (in order): the data of the Friedman test."""
    by_patient: dict[int, dict[str, float]] = {}
    for row in rows:
        by_patient.setdefault(row.patient_id, {})[row.code] = float(row.platelets)
    return [[counts[c] for c in codes] for _pid, counts in sorted(by_patient.items())
            if all(c in counts for c in codes)]


def normality(complete: Sequence[Sequence[float]], codes: Sequence[str]) -> dict:
    """The `table3_normality` section: Shapiro–Wilk per timepoint over the Friedman test's complete cases, and
    the test it leads to (the paper's methods: Friedman unless every timepoint is normal at P ≥ 0.05)."""
    tests = []
    for j, code in enumerate(codes):
        result = shapiro_wilk([row[j] for row in complete])
        tests.append({"visit": code, "n": len(complete), "w": result.w if result else None,
                      "p": result.p if result else None, "normal": result.normal if result else None})
    if not tests or any(t["normal"] is None for t in tests):
        decision = None
    else:
        decision = "repeated_measures_anova" if all(t["normal"] for t in tests) else "friedman"
    anova = repeated_measures_anova(complete) if decision == "repeated_measures_anova" else None
    return {"test": "shapiro_wilk", "alpha": ALPHA, "timepoints": tests, "decision": decision,
            "repeated_measures_anova": None if anova is None else {
                "n": anova.n, "f": anova.f, "df": [anova.df_num, anova.df_den], "p": anova.p}}
