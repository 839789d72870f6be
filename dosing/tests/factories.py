"""Builders for dosing tests: everything written through the real services."""

from datetime import date, timedelta
from decimal import Decimal

from dosing.models import Phase
from dosing.services import (
    ConMedValues,
    DoseValues,
    TroughValues,
    con_med_record,
    dose_change_record,
    trough_record,
)


def dose(patient, user, *, day: int = 0, mg: Decimal | str | int = 2, phase: str | None = None,
         out_of_range_reason: str = "", change_reason: str = "", today: date | None = None):
    start = patient.start_date + timedelta(days=day)
    phase = phase or (Phase.START if day == 0 else Phase.STOP if Decimal(mg) == 0 else Phase.MAINTENANCE)
    return dose_change_record(
        patient=patient, user=user, today=today or start,
        values=DoseValues(start_date=start, mg_per_day=Decimal(mg), phase=phase, change_reason=change_reason,
                          out_of_range_reason=out_of_range_reason),
    )


def trough(patient, user, *, day: int, ng_ml: Decimal | str | int, hours: Decimal | str | None = "24",
           lab: str = "Central lab", today: date | None = None):
    sampled = patient.start_date + timedelta(days=day)
    return trough_record(
        patient=patient, user=user, today=today or sampled,
        values=TroughValues(sample_date=sampled, ng_ml=Decimal(ng_ml), lab=lab,
                            hours_since_dose=None if hours is None else Decimal(hours)),
    )


def con_med(patient, user, *, name: str, day: int = 0, stop_day: int | None = None, indication: str = "ITP",
            dose_text: str = "", taper: bool = False, today: date | None = None):
    start = patient.start_date + timedelta(days=day)
    stop = None if stop_day is None else patient.start_date + timedelta(days=stop_day)
    return con_med_record(
        patient=patient, user=user, today=today or start,
        values=ConMedValues(name=name, start_date=start, stop_date=stop, indication=indication, dose=dose_text,
                            glucocorticoid_taper=taper),
    )


def dosing_records(patient, user, *, today: date) -> dict:
    """One of each dosing record for `patient` (day 0 at least 8 days before `today`), as URL kwargs."""
    first = dose(patient, user, day=0, mg=2, today=today)
    level = trough(patient, user, day=8, ng_ml="19.5", today=today)  # high: a suggestion to accept or dismiss
    med = con_med(patient, user, name="Prednisone", dose_text="10 mg/day", indication="ITP", taper=True,
                  today=today)
    return {"dose_pk": first.pk, "trough_pk": level.pk, "con_med_pk": med.pk}
