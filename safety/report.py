"""What the safety app adds to the study report (study_report --json and the study report page): the paper's
toxicity paragraph as a table, and the Treg values behind its Table 5 (the statistics are in reports)."""

from django.db.models import Count

from .models import AdverseEvent, HealthyControl, TregMeasurement


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


def treg_values() -> tuple[list[float], dict[int, float], dict[int, float]]:
    """(healthy controls' %, patient id → % at baseline, patient id → % at month 3), in two queries."""
    controls = [float(v) for v in HealthyControl.objects.order_by("control_id").values_list("percent", flat=True)]
    by_point: dict[str, dict[int, float]] = {"baseline": {}, "month3": {}}
    for patient_id, timepoint, percent in TregMeasurement.objects.values_list("patient_id", "timepoint", "percent"):
        by_point[timepoint][patient_id] = float(percent)
    return controls, by_point["baseline"], by_point["month3"]


def safety_report() -> dict:
    return {"adverse_events": adverse_event_table()}
