"""Services that write visits, and the response recomputation they all end with."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone

from casebook.writes import writing
from itp_trial.validation import problems_error
from patients.models import Patient

from .models import RescueTherapy, ResponseSummary, ScheduledVisit, Visit
from .protocol import current_protocol
from .response import Count, ResponseProtocol, classify, summarize
from .schedule import BASELINE, UNSCHEDULED, window_deviation
from .validation import visit_problems


@dataclass(frozen=True)
class VisitValues:
    visit_date: date
    platelets: Decimal
    bleeding_grade: int | None
    bleeding_reported: bool | None = None
    haemoglobin: Decimal | None = None
    white_cells: Decimal | None = None


def effective_bleeding_grade(visit: Visit, protocol: ResponseProtocol) -> int | None:
    """The WHO grade the classifier sees; a bare yes/no (imported) maps to 'bleeding' / 'none'."""
    if visit.bleeding_grade is not None:
        return visit.bleeding_grade
    if visit.bleeding_reported is None:
        return None
    return protocol.bleeding_grade_min if visit.bleeding_reported else 0


def _baseline_visit(visits: list[Visit]) -> Visit | None:
    return next((v for v in visits if v.slot_id and v.slot.code == BASELINE), None)


def response_recompute(*, patient: Patient) -> ResponseSummary:
    """Classify every visit of `patient` and rewrite its response summary (call inside the write's transaction)."""
    protocol = current_protocol()
    visits = list(patient.visits.select_related("slot").order_by("visit_date", "id"))
    baseline_visit = _baseline_visit(visits)
    baseline = baseline_visit.platelets if baseline_visit else None
    rescue_dates = list(patient.rescue_therapies.values_list("given_on", flat=True))
    counts = [
        Count(key=v.pk, date=v.visit_date, platelets=v.platelets, bleeding_grade=effective_bleeding_grade(v, protocol))
        for v in visits
    ]
    summary = summarize(counts=counts, baseline=baseline, day0=patient.start_date, rescue_dates=rescue_dates,
                        protocol=protocol)
    assessed = {a.count.key: a for a in summary.assessed}

    changed = []
    for visit, count in zip(visits, counts, strict=True):
        if visit.pk in assessed:
            category, rescue = assessed[visit.pk].category, assessed[visit.pk].in_rescue_window
        else:  # on or before day 0: classified for the record, not part of the response
            category = classify(platelets=count.platelets, baseline=baseline, bleeding_grade=count.bleeding_grade,
                                protocol=protocol)
            rescue = False
        if (visit.category, visit.in_rescue_window) != (category, rescue):
            visit.category, visit.in_rescue_window = category, rescue
            changed.append(visit)
    if changed:  # derived columns: written without a history row of their own
        Visit.objects.bulk_update(changed, ["category", "in_rescue_window"])

    values = {
        "best_response": summary.best_response,
        "current_status": summary.current_status,
        "confirmed": summary.confirmed,
        "confirmed_category": summary.confirmed_category or "",
        "response_date": summary.response_date,
        "time_to_response_days": summary.time_to_response_days,
        "relapsed": summary.relapsed,
        "relapse_date": summary.relapse_date,
        "downgraded": summary.downgraded,
        "rescue_flagged": sum(1 for a in summary.assessed if a.in_rescue_window),
    }
    result, _ = ResponseSummary.objects.update_or_create(patient=patient, defaults=values)
    return result


def _check(*, patient: Patient, code: str, values: VisitValues, today: date, bleeding_required: bool) -> None:
    problems = visit_problems(
        code=code, visit_date=values.visit_date, day0=patient.start_date, today=today,
        platelets=values.platelets, bleeding_grade=values.bleeding_grade,
        bleeding_required=bleeding_required and values.bleeding_reported is None,
    )
    if problems:
        raise problems_error(problems)


def _deviation(slot: ScheduledVisit | None, visit_date: date) -> int:
    if slot is None:
        return 0
    return window_deviation(visit_date=visit_date, earliest=slot.earliest, latest=slot.latest)


def visit_record(
    *, patient: Patient, code: str, values: VisitValues, user, reason: str = "", today: date | None = None,
    bleeding_required: bool = True, token: UUID | None = None,
) -> Visit:
    """Record a protocol visit (by schedule code) or an unscheduled one, then recompute the response."""
    today = today or timezone.localdate()
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        patient = write.patient
        slot = None
        if code != UNSCHEDULED:
            slot = patient.slots.filter(code=code).first()
            if slot is None:
                raise ValidationError({"code": f"{code} is not a visit of this patient's schedule."})
            if Visit.objects.filter(slot=slot).exists():
                raise ValidationError({"code": f"The {code} visit is already recorded; edit it instead."})
        _check(patient=patient, code=code, values=values, today=today, bleeding_required=bleeding_required)
        visit = write.save(Visit(patient=patient, slot=slot, out_of_window_days=_deviation(slot, values.visit_date),
                                 category="NE", **values.__dict__))
        response_recompute(patient=patient)
    visit.refresh_from_db()
    return visit


def visit_update(*, visit: Visit, values: VisitValues, user, reason: str, version: int,
                 today: date | None = None) -> Visit:
    """Correct a saved visit as the user saw it (`version`): a reason is required; the response is recomputed."""
    today = today or timezone.localdate()
    with writing(user=user, reason=reason, patient=visit.patient_id) as write:
        visit = write.edit(visit, version=version)
        _check(patient=write.patient, code=visit.code, values=values, today=today, bleeding_required=True)
        for field, value in values.__dict__.items():
            setattr(visit, field, value)
        visit.out_of_window_days = _deviation(visit.slot, values.visit_date)
        write.save(visit)
        response_recompute(patient=write.patient)
    visit.refresh_from_db()
    return visit


def rescue_record(*, patient: Patient, given_on: date, kind: str, details: str, user, reason: str = "",
                  today: date | None = None, token: UUID | None = None) -> RescueTherapy:
    today = today or timezone.localdate()
    if given_on > today:
        raise ValidationError({"given_on": "Cannot be in the future."})
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        rescue = write.save(RescueTherapy(patient=write.patient, given_on=given_on, kind=kind, details=details))
        response_recompute(patient=write.patient)
    return rescue


@dataclass(frozen=True)
class VisitEntry:
    """A visit as one entry: where it goes in the schedule (a code, or "unscheduled") and what was measured."""

    code: str
    values: VisitValues


@dataclass(frozen=True)
class RescueValues:
    given_on: date
    kind: str
    details: str = ""
