"""Treg/CD4⁺ T cells in healthy controls and in patients before and after 3 months of sirolimus (pure).

Two sections of the study report:
- `treg` (its shape is a stable interface): means ± SD, a one-way ANOVA across the three groups taken as
  independent, and Fisher's LSD pairwise comparisons (pooled within-group variance, N − k df).
- `table5`, the paper's Table 5 with the paper's methods: the same one-way ANOVA for the total variation;
  patients vs controls by one-way ANOVA (before vs controls, after vs controls); before vs after within the
  patients who have both values by a repeated-measures ANOVA; and Shapiro–Wilk per group.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .statistics import lsd_p, mean_sd, one_way_anova, repeated_measures_anova, shapiro_wilk

TREG_METHOD = ("One-way ANOVA across controls, patients before and patients after sirolimus; pairwise "
               "comparisons by Fisher's LSD (pooled within-group variance, N − k df). Means ± SD (n − 1).")
GROUPS = ("controls", "before", "after")


@dataclass(frozen=True)
class TregValues:
    controls: Sequence[float]
    before: dict[int, float]  # patient id → % at baseline
    after: dict[int, float]  # patient id → % at month 3


def _rounded_summary(values: Sequence[float]) -> dict:
    mean, sd = mean_sd(values)
    return {"n": len(values), "mean": None if mean is None else round(mean, 2),
            "sd": None if sd is None else round(sd, 2)}


def treg_section(data: TregValues) -> dict:
    """The `treg` section (rounded as it always was)."""
    controls, before, after = list(data.controls), list(data.before.values()), list(data.after.values())
    result = {"controls": _rounded_summary(controls), "before": _rounded_summary(before),
              "after": _rounded_summary(after), "method": TREG_METHOD, "anova": None, "pairwise": []}
    anova = one_way_anova([controls, before, after]) if all((controls, before, after)) else None
    if anova is not None:
        result["anova"] = {"f": round(anova.f, 3), "df": [anova.df_between, anova.df_within], "p": round(anova.p, 4)}
        pairs = (("controls", "before", controls, before), ("controls", "after", controls, after),
                 ("before", "after", before, after))
        result["pairwise"] = [{"groups": [a, b], "p": round(lsd_p(x, y, anova), 4)} for a, b, x, y in pairs]
    return result


def _one_way(groups: tuple[str, str], a: Sequence[float], b: Sequence[float]) -> dict:
    anova = one_way_anova([a, b]) if a and b else None
    return {"groups": list(groups), "method": "one_way_anova", "n": [len(a), len(b)],
            "f": anova.f if anova else None, "df": [anova.df_between, anova.df_within] if anova else None,
            "p": anova.p if anova else None}


def table5_section(data: TregValues) -> dict:
    """The `table5` section (unrounded)."""
    values = {"controls": list(data.controls), "before": list(data.before.values()), "after": list(data.after.values())}
    groups = {}
    for name in GROUPS:
        mean, sd = mean_sd(values[name])
        normal = shapiro_wilk(values[name])
        groups[name] = {"n": len(values[name]), "mean": mean, "sd": sd,
                        "shapiro_wilk": None if normal is None else {"w": normal.w, "p": normal.p}}
    overall = one_way_anova(list(values.values())) if all(values.values()) else None
    paired = [(data.before[pid], data.after[pid]) for pid in sorted(data.before) if pid in data.after]
    within = repeated_measures_anova(paired)
    return {
        "groups": groups,
        "overall": {"method": "one_way_anova", "f": overall.f if overall else None,
                    "df": [overall.df_between, overall.df_within] if overall else None,
                    "p": overall.p if overall else None},
        "comparisons": [
            _one_way(("controls", "before"), values["controls"], values["before"]),
            _one_way(("controls", "after"), values["controls"], values["after"]),
            {"groups": ["before", "after"], "method": "repeated_measures_anova", "n": [len(paired), len(paired)],
             "f": within.f if within else None, "df": [within.df_num, within.df_den] if within else None,
             "p": within.p if within else None},
        ],
    }
