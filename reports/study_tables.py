"""Tables 2 and 3 of the study dashboard (response and median platelets per timepoint, the Friedman test) from
aggregate queries: the database counts, ranks and picks the middle values, whatever the number of patients, and
only a few rows per timepoint come back. The same numbers as reports.selectors.study_response_report (which reads
every visit), in the same shape; tests hold the two together."""

from decimal import Decimal

from django.db import connection
from scipy import stats

from visits.models import ScheduledVisit, Visit
from visits.schedule import BASELINE, PROTOCOL_SCHEDULE

from .selectors import study_response_report
from .tables import CATEGORIES

VISITS = """SELECT s.code, v.category, v.platelets, v.patient_id FROM {visit} v JOIN {slot} s ON s.id = v.slot_id"""

# Per timepoint: the visits, those of each category, and the middle value(s) of the sorted counts in one pass (the
# lower and the upper middle: the same value when the number of visits is odd); the median is their mean, as
# statistics.median takes it.
COUNTS = """
SELECT s.code, count(*), {categories},
       percentile_disc(0.5) WITHIN GROUP (ORDER BY v.platelets),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY v.platelets DESC)
FROM {visit} v JOIN {slot} s ON s.id = v.slot_id
GROUP BY s.code
"""

# The Friedman test over the complete cases (patients with a count at every core timepoint): rank sums per
# timepoint (average ranks within a patient for ties), the tie correction Σ(t³ − t) and the patients whose counts
# are not all equal.
FRIEDMAN = """
WITH v AS ({visits} WHERE s.code = ANY(%(codes)s)),
complete AS (SELECT patient_id FROM v GROUP BY patient_id HAVING count(*) = %(k)s),
cases AS (SELECT v.* FROM v JOIN complete USING (patient_id)),
ranked AS (SELECT code, patient_id, platelets,
                  rank() OVER (PARTITION BY patient_id ORDER BY platelets) AS r,
                  count(*) OVER (PARTITION BY patient_id, platelets) AS t FROM cases)
SELECT code, sum(r + (t - 1) / 2.0), sum(t * t - 1), count(DISTINCT patient_id) FROM ranked GROUP BY code
UNION ALL
SELECT NULL, NULL, NULL, count(*) FROM (SELECT patient_id FROM cases GROUP BY patient_id
                                        HAVING max(platelets) > min(platelets)) AS varying
"""


def _sql(template: str) -> str:
    visits = VISITS.format(visit=Visit._meta.db_table, slot=ScheduledVisit._meta.db_table)
    return template.replace("{visits}", visits)


def _counts_sql() -> str:
    categories = ", ".join(f"count(*) FILTER (WHERE v.category = '{c}')" for c in CATEGORIES)  # our own codes
    return COUNTS.format(categories=categories, visit=Visit._meta.db_table, slot=ScheduledVisit._meta.db_table)


def _median(middle: list[Decimal]) -> float | None:
    """The mean of the lower and upper middle values (one value: itself)."""
    if not middle:
        return None
    return float(middle[0]) if len(middle) == 1 or middle[0] == middle[1] else float((middle[0] + middle[1]) / 2)


def _core_codes() -> list[str]:
    return [BASELINE, *(v.code for v in PROTOCOL_SCHEDULE.core_timepoints)]


def friedman_from_ranks(*, n: int, rank_sums: list[float], ties: float, varying: int, codes: list[str]) -> dict | None:
    """The `friedman` section from rank sums (scipy.stats.friedmanchisquare's formula, tie-corrected); None
    when undefined, as reports.statistics.friedman: fewer than 2 patients or 3 timepoints, or no patient whose
    counts differ."""
    k = len(rank_sums)
    if n < 2 or k < 3 or varying == 0:
        return None
    correction = 1 - ties / (k * (k * k - 1) * n)
    squares = sum(r * r for r in rank_sums)
    chi2 = (12.0 / (k * n * (k + 1)) * squares - 3 * n * (k + 1)) / correction
    return {
        "visits": codes,
        "n": n,
        "chi2": round(chi2, 4),
        "df": k - 1,
        "p": float(stats.chi2.sf(chi2, k - 1)),
        "kendall_w": round(chi2 / (n * (k - 1)), 4),
        "mean_ranks": [round(r / n, 3) for r in rank_sums],
    }


def response_summary() -> dict:
    """{"baseline", "timepoints", "friedman"}: Tables 2 and 3 of the whole study, in two queries (on PostgreSQL;
    elsewhere, as on the SQLite demo, from the per-visit report: the same numbers)."""
    if connection.vendor != "postgresql":
        return study_response_report()
    counts: dict[str, tuple[int, dict[str, int]]] = {}
    middle: dict[str, list[Decimal]] = {}
    codes = _core_codes()
    with connection.cursor() as cursor:
        cursor.execute(_counts_sql())
        for code, n, *row in cursor.fetchall():
            counts[code] = (n, dict(zip(CATEGORIES, row[:len(CATEGORIES)], strict=True)))
            middle[code] = row[len(CATEGORIES):]
        cursor.execute(_sql(FRIEDMAN), {"codes": codes, "k": len(codes)})
        ranks = cursor.fetchall()
    result = {"baseline": {"n": counts.get(BASELINE, (0, {}))[0],
                           "median_platelets": _median(middle.get(BASELINE, []))},
              "timepoints": []}
    for visit_def in PROTOCOL_SCHEDULE.timepoints:
        if visit_def.follow_up and visit_def.code not in counts:
            continue  # a follow-up visit appears once someone has a count there
        n, by_category = counts.get(visit_def.code, (0, {c: 0 for c in CATEGORIES}))
        result["timepoints"].append({
            "visit": visit_def.code, "n": n, **by_category,
            "orr": round((by_category["R"] + by_category["CR"]) / n, 4) if n else None,
            "median_platelets": _median(middle.get(visit_def.code, [])),
        })
    sums = {code: float(total) for code, total, _ties, _n in ranks if code is not None}
    varying = next((count for code, _total, _ties, count in ranks if code is None), 0)
    n = max((count for code, _total, _ties, count in ranks if code is not None), default=0)
    result["friedman"] = friedman_from_ranks(
        n=n, rank_sums=[sums.get(code, 0.0) for code in codes],
        ties=float(sum(t for code, _total, t, _n in ranks if code is not None)), varying=varying, codes=codes)
    return result
