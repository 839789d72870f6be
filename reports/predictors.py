"""The paper's Table 4: factors of overall response at month 3, by binary logistic regression (pure).

Outcome: R or CR at the month-3 visit (1) against NR (0); patients without a month-3 visit, or whose month-3
visit is not evaluable (NE), are left out and counted. Factors, as the paper lists them: sex (male vs female),
age group (> 40 vs ≤ 40 years at day 0), months from diagnosis to day 0, and the baseline platelet count
(×10⁹/L). Per factor: b, its standard error, the Wald P, the odds ratio exp(b) and its 95 % CI exp(b ± 1.96 SE).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from .statistics import logistic_regression

OUTCOME_VISIT = "month3"
FACTORS = ("sex", "age_group", "months_from_diagnosis", "baseline_platelets")
# The method as the report's JSON states it (English, a machine interface); pages show its translation.
# xgettext:no-python-format
METHOD = gettext_noop("Binary logistic regression (maximum likelihood, statsmodels Logit) of overall response (R or "
                      "CR) at month 3 on the four factors together, with an intercept; Wald P; 95 % CI of the odds "
                      "ratio = exp(b ± 1.96 SE).")


@dataclass(frozen=True)
class OutcomeRow:
    male: bool
    age_over_40: bool
    months_from_diagnosis: float
    baseline_platelets: float | None
    category: str | None  # the month-3 visit's category, None without one


def response_factors(rows: Sequence[OutcomeRow]) -> dict:
    """The `table4` section of the study report."""
    used = [r for r in rows if r.category in ("NR", "R", "CR") and r.baseline_platelets is not None]
    model = logistic_regression(
        [1 if r.category in ("R", "CR") else 0 for r in used],
        {"sex": [1.0 if r.male else 0.0 for r in used],
         "age_group": [1.0 if r.age_over_40 else 0.0 for r in used],
         "months_from_diagnosis": [r.months_from_diagnosis for r in used],
         "baseline_platelets": [r.baseline_platelets for r in used]},
    )
    return {
        "outcome": {"visit": OUTCOME_VISIT, "response": ["R", "CR"]},
        "n": model.n, "events": model.events, "excluded": len(rows) - len(used),
        "factors": [{"factor": c.name, "b": c.b, "se": c.se, "p": c.p, "odds_ratio": c.odds_ratio,
                     "ci_low": c.ci_low, "ci_high": c.ci_high} for c in model.coefficients],
        "note": model.note, "note_params": model.note_params, "method": METHOD,
    }
