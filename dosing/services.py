"""Services that write the sirolimus regimen, trough levels, decisions on suggestions and concomitant meds.

Each one goes through the casebook write path (one transaction, the patient row locked so two writes never
check the regimen against stale rows, casebook lock, version, reason, history) and validates with field-keyed
ValidationErrors.
"""

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casebook.writes import writing
from itp_trial.clock import study_today
from patients.models import Patient

from .messages import arithmetic_text, mg_per_day, suggestion_note
from .models import ConMed, DoseChange, Phase, Trough
from .tdm import (
    Change,
    age_group,
    dose_for_sample,
    dose_range_warning,
    fmt,
    phase_problem,
    regimen_problem,
    suggest_dose,
)


@dataclass(frozen=True)
class DoseValues:
    start_date: date
    mg_per_day: Decimal
    phase: str
    change_reason: str = ""
    out_of_range_reason: str = ""
    prescribed_by: str = ""  # blank: the user entering it


@dataclass(frozen=True)
class TroughValues:
    sample_date: date
    ng_ml: Decimal
    sample_time: time | None = None
    hours_since_dose: Decimal | None = None
    lab: str = ""


@dataclass(frozen=True)
class ConMedValues:
    name: str
    start_date: date
    indication: str
    stop_date: date | None = None
    dose: str = ""
    glucocorticoid_taper: bool = False


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


def _not_future(field: str, value: date, today: date) -> None:
    if value > today:
        raise ValidationError({field: _("Cannot be in the future (today is %(today)s).") % {
            "today": today.isoformat()}})


def dose_check(*, patient: Patient, values: DoseValues, other_dates: list[date], today: date) -> str:
    """Validate a dose against the regimen and the protocol; returns the out-of-range reason to store."""
    _not_future("start_date", values.start_date, today)
    problem = phase_problem(mg_per_day=values.mg_per_day, phase=values.phase)
    if problem:
        raise ValidationError({"phase": str(problem)})
    problem = regimen_problem(day0=patient.start_date, dates=[*other_dates, values.start_date])
    if problem:
        raise ValidationError({"start_date": str(problem)})
    group = age_group(birth_date=patient.birth_date, on=values.start_date)
    warning = dose_range_warning(mg_per_day=values.mg_per_day, phase=values.phase, group=group)
    reason = values.out_of_range_reason.strip()
    if warning is None:
        return ""
    if not reason:
        raise ValidationError({"out_of_range_reason": _("%(warning)s It can be saved only with a reason.") % {
            "warning": warning}})
    return reason


def dose_fill(dose: DoseChange, values: DoseValues, out_of_range_reason: str, user) -> DoseChange:
    dose.start_date = values.start_date
    dose.mg_per_day = values.mg_per_day
    dose.phase = values.phase
    dose.change_reason = values.change_reason.strip()
    dose.out_of_range_reason = out_of_range_reason
    dose.prescribed_by = values.prescribed_by.strip() or dose.prescribed_by or _who(user)  # a correction keeps it
    return dose


def dose_change_record(*, patient: Patient, values: DoseValues, user, reason: str = "",
                       today: date | None = None, token: UUID | None = None) -> DoseChange:
    """Add a prescription to the regimen (in force from its start date until the next change)."""
    today = today or study_today()
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        patient = write.patient
        dates = list(patient.dose_changes.values_list("start_date", flat=True))
        out_of_range_reason = dose_check(patient=patient, values=values, other_dates=dates, today=today)
        return write.save(dose_fill(DoseChange(patient=patient), values, out_of_range_reason, user))


def dose_change_update(*, dose: DoseChange, values: DoseValues, user, reason: str, version: int,
                       today: date | None = None) -> DoseChange:
    """Correct a saved prescription as the user saw it (`version`; reason required); the regimen is checked as it
    will be after the change."""
    today = today or study_today()
    with writing(user=user, reason=reason, patient=dose.patient_id) as write:
        dose = write.edit(dose, version=version)
        patient = write.patient
        dates = list(patient.dose_changes.exclude(pk=dose.pk).values_list("start_date", flat=True))
        out_of_range_reason = dose_check(patient=patient, values=values, other_dates=dates, today=today)
        return write.save(dose_fill(dose, values, out_of_range_reason, user))


def sirolimus_stop(*, patient: Patient, stop_date: date, reason: str, user, today: date | None = None,
                   token: UUID | None = None) -> DoseChange:
    """Stop sirolimus on `stop_date` (0 mg/day from that day); safety follow-up continues for a month after."""
    today = today or study_today()
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason sirolimus is stopped.")})
    with writing(user=user, patient=patient, token=token) as write:
        patient = write.patient
        last = patient.dose_changes.order_by("-start_date").first()
        if last is not None and last.mg_per_day == 0:
            raise ValidationError({"stop_date": _("Sirolimus is already stopped (since %(date)s).") % {
                "date": last.start_date.isoformat()}})
        if last is not None and stop_date <= last.start_date:
            raise ValidationError({"stop_date": _("Must be after the last dose change (%(date)s).") % {
                "date": last.start_date.isoformat()}})
        values = DoseValues(start_date=stop_date, mg_per_day=Decimal(0), phase=Phase.STOP, change_reason=reason)
        dates = list(patient.dose_changes.values_list("start_date", flat=True))
        dose_check(patient=patient, values=values, other_dates=dates, today=today)
        return write.save(dose_fill(DoseChange(patient=patient), values, "", user))


def trough_check(*, patient: Patient, values: TroughValues, today: date) -> None:
    _not_future("sample_date", values.sample_date, today)
    if values.sample_date < patient.start_date:
        raise ValidationError({"sample_date": _("Must be on or after day 0 (%(date)s).") % {
            "date": patient.start_date.isoformat()}})


def trough_fill(trough: Trough, values: TroughValues) -> Trough:
    for name, value in values.__dict__.items():
        setattr(trough, name, value)
    trough.lab = (values.lab or "").strip()
    return trough


def trough_record(*, patient: Patient, values: TroughValues, user, reason: str = "",
                  today: date | None = None, token: UUID | None = None) -> Trough:
    today = today or study_today()
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        trough_check(patient=write.patient, values=values, today=today)
        return write.save(trough_fill(Trough(patient=write.patient), values))


def trough_update(*, trough: Trough, values: TroughValues, user, reason: str, version: int,
                  today: date | None = None) -> Trough:
    """Correct a saved level as the user saw it (`version`; reason required). A decision already taken on its
    suggestion stays recorded."""
    today = today or study_today()
    with writing(user=user, reason=reason, patient=trough.patient_id) as write:
        trough = write.edit(trough, version=version)
        trough_check(patient=write.patient, values=values, today=today)
        return write.save(trough_fill(trough, values))


def _open_trough(write, trough: Trough, version: int | None) -> Trough:
    trough = write.edit(trough, version=version)
    if trough.review == Trough.Review.ACCEPTED:
        raise ValidationError({"review": _("This level was already reviewed (suggestion accepted).")})
    if trough.review != Trough.Review.OPEN:
        raise ValidationError({"review": _("This level was already reviewed (suggestion dismissed).")})
    return trough


def trough_suggestion_accept(*, trough: Trough, user, start_date: date | None = None, out_of_range_reason: str = "",
                             version: int | None = None, today: date | None = None) -> DoseChange:
    """Accept the suggested dose for the level as the physician saw it (`version`): one audited step writes the
    dose change and marks the level reviewed."""
    today = today or study_today()
    start_date = start_date or today
    with writing(user=user, patient=trough.patient_id) as write:
        patient = write.patient
        trough = _open_trough(write, trough, version)
        changes = [Change(d, mg) for d, mg in patient.dose_changes.values_list("start_date", "mg_per_day")]
        suggestion = suggest_dose(ng_ml=trough.ng_ml, current=dose_for_sample(changes, trough.sample_date),
                                  sample_date=trough.sample_date, hours_since_dose=trough.hours_since_dose)
        if suggestion.mg_per_day is None:
            raise ValidationError({"review": _("There is no suggestion to accept. %(why)s") % {
                "why": suggestion_note(suggestion)}})
        if start_date < trough.sample_date:
            raise ValidationError({"start_date": _("Must be on or after the sample date (%(date)s).") % {
                "date": trough.sample_date.isoformat()}})
        later = [c.start_date for c in changes if c.start_date >= trough.sample_date]
        if later:
            raise ValidationError({"review": _("The dose was already changed on %(date)s, since this sample; "
                                               "dismiss the suggestion instead.") % {"date": min(later).isoformat()}})
        arithmetic = arithmetic_text(suggestion)
        values = DoseValues(
            start_date=start_date, mg_per_day=suggestion.mg_per_day, phase=Phase.ADJUSTMENT,
            change_reason=_("Trough %(level)s ng/mL on %(date)s: %(arithmetic)s") % {
                "level": fmt(trough.ng_ml), "date": trough.sample_date.isoformat(), "arithmetic": arithmetic},
            out_of_range_reason=out_of_range_reason,
        )
        out_of_range = dose_check(patient=patient, values=values, other_dates=[c.start_date for c in changes],
                                   today=today)
        dose = write.save(dose_fill(DoseChange(patient=patient), values, out_of_range, user))
        trough.review, trough.reviewed_by, trough.resulting_dose = Trough.Review.ACCEPTED, user, dose
        trough.review_reason = _("Accepted: %(arithmetic)s") % {"arithmetic": arithmetic}
        write.save(trough, reason=_("Suggestion accepted: %(dose)s from %(date)s") % {
            "dose": mg_per_day(dose.mg_per_day), "date": start_date.isoformat()})
        return dose


def trough_suggestion_dismiss(*, trough: Trough, reason: str, user, version: int | None = None) -> Trough:
    """Dismiss the suggestion for the level as the physician saw it (`version`), with a reason (the dose stays)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the suggestion is dismissed.")})
    with writing(user=user, reason=_("Suggestion dismissed: %(reason)s") % {"reason": reason},
                 patient=trough.patient_id) as write:
        trough = _open_trough(write, trough, version)
        trough.review, trough.reviewed_by, trough.review_reason = Trough.Review.DISMISSED, user, reason
        return write.save(trough)


def con_med_check(*, patient: Patient, values: ConMedValues, today: date) -> None:
    if not values.name.strip():
        raise ValidationError({"name": _("Name the medication.")})
    _not_future("start_date", values.start_date, today)
    if values.stop_date is not None and values.stop_date < values.start_date:
        raise ValidationError({"stop_date": _("Must be on or after the start date.")})


def con_med_fill(con_med: ConMed, values: ConMedValues) -> ConMed:
    for name, value in values.__dict__.items():
        setattr(con_med, name, value.strip() if isinstance(value, str) else value)
    return con_med


def con_med_record(*, patient: Patient, values: ConMedValues, user, reason: str = "",
                   today: date | None = None, token: UUID | None = None) -> ConMed:
    today = today or study_today()
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        con_med_check(patient=write.patient, values=values, today=today)
        return write.save(con_med_fill(ConMed(patient=write.patient), values))


def con_med_update(*, con_med: ConMed, values: ConMedValues, user, reason: str, version: int,
                   today: date | None = None) -> ConMed:
    today = today or study_today()
    with writing(user=user, reason=reason, patient=con_med.patient_id) as write:
        con_med = write.edit(con_med, version=version)
        con_med_check(patient=write.patient, values=values, today=today)
        return write.save(con_med_fill(con_med, values))
