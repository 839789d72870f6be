"""Services that write visits, and the response recomputation they all end with."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.writes import audited_save, require_reason
from itp_trial.validation import problems_error
from patients.models import Patient
from review.services import ensure_unlocked

from .models import RescueTherapy, ResponseSummary, ScheduledVisit, Visit
from .protocol import current_protocol
from .response import Count, ResponseEvent, ResponseProtocol, classify, summarize
from .schedule import BASELINE, UNSCHEDULED, window_deviation
from .validation import visit_problems

VISIT_EXISTS = "visit_exists"  # the error code of a second visit at a slot (params: code, visit_id)


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


def event_json(event: ResponseEvent) -> dict:
    """A response event as stored in the summary (JSON: ISO dates, category codes)."""
    return {"kind": str(event.kind), "from": event.from_level and str(event.from_level), "to": str(event.to_level),
            "date": event.date.isoformat(), "confirmed_on": event.confirmed_on.isoformat()}


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
        "time_to_confirmed_response_days": summary.time_to_confirmed_response_days,
        "relapsed": summary.relapsed,
        "relapse_date": summary.relapse_date,
        "downgraded": summary.downgraded,
        "downgrade_date": summary.downgrade_date,
        "cr_lost_date": summary.cr_lost_date,
        "events": [event_json(e) for e in summary.events],
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


def _lock(patient: Patient) -> Patient:
    """Serialise writes per patient so two saves never recompute from stale visits."""
    return Patient.objects.select_for_update().get(pk=patient.pk)


@transaction.atomic
def visit_record(
    *, patient: Patient, code: str, values: VisitValues, user, reason: str = "", today: date | None = None,
    bleeding_required: bool = True,
) -> Visit:
    """Record a protocol visit (by schedule code) or an unscheduled one, then recompute the response."""
    today = today or timezone.localdate()
    patient = _lock(patient)
    slot = None
    if code != UNSCHEDULED:
        slot = patient.slots.filter(code=code).first()
        if slot is None:
            raise ValidationError({"code": f"{code} is not a visit of this patient's schedule."})
        existing = Visit.objects.filter(slot=slot).values_list("pk", flat=True).first()
        if existing is not None:
            raise ValidationError({"code": ValidationError(
                "The %(code)s visit is already recorded; correct it instead.", code=VISIT_EXISTS,
                params={"code": code, "visit_id": existing})})
    _check(patient=patient, code=code, values=values, today=today, bleeding_required=bleeding_required)
    ensure_unlocked(patient_id=patient.pk, dates=[values.visit_date])
    visit = Visit(patient=patient, slot=slot, out_of_window_days=_deviation(slot, values.visit_date),
                  category="NE", **values.__dict__)
    audited_save(visit, user=user, reason=reason)
    response_recompute(patient=patient)
    visit.refresh_from_db()
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, values: VisitValues, user, reason: str, today: date | None = None) -> Visit:
    """Correct a saved visit: a reason is required; the response is recomputed."""
    today = today or timezone.localdate()
    reason = require_reason(reason)
    patient = _lock(visit.patient)
    visit = Visit.objects.select_for_update(of=("self",)).select_related("slot").get(pk=visit.pk)
    ensure_unlocked(patient_id=patient.pk, dates=[visit.visit_date, values.visit_date], visit_id=visit.pk)
    _check(patient=patient, code=visit.code, values=values, today=today, bleeding_required=True)
    for field, value in values.__dict__.items():
        setattr(visit, field, value)
    visit.out_of_window_days = _deviation(visit.slot, values.visit_date)
    audited_save(visit, user=user, reason=reason)
    response_recompute(patient=patient)
    visit.refresh_from_db()
    return visit


@transaction.atomic
def rescue_record(*, patient: Patient, given_on: date, kind: str, details: str, user,
                  today: date | None = None) -> RescueTherapy:
    today = today or timezone.localdate()
    if given_on > today:
        raise ValidationError({"given_on": "Cannot be in the future."})
    patient = _lock(patient)
    ensure_unlocked(patient_id=patient.pk, dates=[given_on])
    rescue = audited_save(RescueTherapy(patient=patient, given_on=given_on, kind=kind, details=details), user=user)
    response_recompute(patient=patient)
    return rescue
