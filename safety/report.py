"""What the safety app adds to the study report (study_report --json and the study response page):
the paper's toxicity paragraph as a table, and its Table 5 (Treg in controls, patients before and after)."""

from django.db.models import Count

from .models import AdverseEvent, HealthyControl, TregMeasurement
from .statistics import lsd_p, mean_sd, one_way_anova

TREG_METHOD = ("One-way ANOVA across controls, patients before and patients after sirolimus; pairwise "
               "comparisons by Fisher's LSD (pooled within-group variance, N − k df). Means ± SD (n − 1).")


def adverse_event_table() -> list[dict]:
    """Per CTCAE term: events, distinct patients and events per grade, sorted by term."""
    table: dict[str, dict] = {}
    rows = AdverseEvent.objects.values("term", "grade").annotate(events=Count("id")).order_by()
    for row in rows:
        entry = table.setdefault(row["term"], {"term": row["term"], "events": 0, "patients": 0,
                                               **{f"grade{g}": 0 for g in range(1, 6)}})
        entry["events"] += row["events"]
        entry[f"grade{row['grade']}"] += row["events"]
    patients = AdverseEvent.objects.values("term").annotate(n=Count("patient", distinct=True)).order_by()
    for row in patients:
        table[row["term"]]["patients"] = row["n"]
    return [table[term] for term in sorted(table, key=str.lower)]


def _summary(values: list[float]) -> dict:
    mean, sd = mean_sd(values)
    return {"n": len(values), "mean": None if mean is None else round(mean, 2),
            "sd": None if sd is None else round(sd, 2)}


def treg_table() -> dict:
    controls = [float(v) for v in HealthyControl.objects.values_list("percent", flat=True)]
    by_point: dict[str, list[float]] = {"baseline": [], "month3": []}
    for timepoint, percent in TregMeasurement.objects.values_list("timepoint", "percent"):
        by_point[timepoint].append(float(percent))
    before, after = by_point["baseline"], by_point["month3"]
    result = {"controls": _summary(controls), "before": _summary(before), "after": _summary(after),
              "method": TREG_METHOD, "anova": None, "pairwise": []}
    anova = one_way_anova([controls, before, after]) if all((controls, before, after)) else None
    if anova is not None:
        result["anova"] = {"f": round(anova.f, 3), "df": [anova.df_between, anova.df_within], "p": round(anova.p, 4)}
        pairs = (("controls", "before", controls, before), ("controls", "after", controls, after),
                 ("before", "after", before, after))
        result["pairwise"] = [{"groups": [a, b], "p": round(lsd_p(x, y, anova), 4)} for a, b, x, y in pairs]
    return result


def safety_report() -> dict:
    return {"adverse_events": adverse_event_table(), "treg": treg_table()}
