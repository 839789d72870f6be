"""The paper's Table 2 (response per timepoint) and Table 3 (median platelets), from plain rows (pure)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

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
