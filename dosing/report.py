"""What the dosing app adds to the study report (study_report --json and the study response page).

Two queries whatever the size of the study.
"""

from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from .models import DoseChange, Phase, Trough
from .protocol import PROTOCOL
from .tdm import ADULT, CHILD, age_group, classify_trough, dose_range

REPORTED_PHASES = (Phase.START, Phase.MAINTENANCE)


def _number(value: Decimal | None, places: str = "0.1") -> float | None:
    return None if value is None else float(Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def drug_monitoring() -> dict:
    """Count, median and range of the trough samples, and every value outside the target (ascending)."""
    values = sorted(Trough.objects.values_list("ng_ml", flat=True))
    return {
        "troughs": len(values),
        "median_ng_ml": _number(median(values)) if values else None,
        "min_ng_ml": _number(values[0]) if values else None,
        "max_ng_ml": _number(values[-1]) if values else None,
        "out_of_range": [_number(v) for v in values if classify_trough(v) != "in range"],
        "target_ng_ml": [_number(PROTOCOL.target_low), _number(PROTOCOL.target_high)],
    }


def dose_ranges() -> dict:
    """Min/max mg/day actually prescribed in the start and maintenance phases, by age group on the dose's date."""
    used: dict[tuple[str, str], list[Decimal]] = {}
    rows = DoseChange.objects.filter(phase__in=REPORTED_PHASES).values_list("phase", "mg_per_day", "start_date",
                                                                           "patient__birth_date")
    for phase, mg, start, birth in rows:
        used.setdefault((age_group(birth_date=birth, on=start), phase), []).append(mg)
    result = {}
    for group in (ADULT, CHILD):
        result[group] = {}
        for phase in REPORTED_PHASES:
            doses = used.get((group, phase), [])
            protocol = dose_range(group=group, phase=phase)
            result[group][phase.value] = {
                "doses": len(doses),
                "min_mg_per_day": _number(min(doses), "0.01") if doses else None,
                "max_mg_per_day": _number(max(doses), "0.01") if doses else None,
                "protocol_mg_per_day": [_number(protocol.low, "0.01"), _number(protocol.high, "0.01")],
            }
    return result


def dosing_report() -> dict:
    return {"drug_monitoring": drug_monitoring(), "dose_ranges": dose_ranges()}
