"""Services that write visits, and the response recomputation they all end with."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casebook.writes import writing
from itp_trial.clock import study_today
from itp_trial.validation import problems_error
from patients.models import Patient

from .models import RescueTherapy, ResponseSummary, ScheduledVisit, Visit
from .protocol import current_protocol
from .response import Count, ResponseEvent, ResponseProtocol, classify, summarize
from .schedule import BASELINE, UNSCHEDULED, window_deviation
from .selectors import response_inputs
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
    return next((v for v in visits if v.slot is not None and v.slot.code == BASELINE), None)  # slot: maybe unsaved


def _in_order(visits: list[Visit]) -> list[Visit]:
    """By date, then as saved (a visit not saved yet comes after the saved ones of its date)."""
    return sorted(visits, key=lambda v: (v.visit_date, v.pk is None, v.pk or 0))


def response_recompute(*, patient: Patient, pending: Visit | None = None) -> ResponseSummary:
    """Classify every visit of `patient` and rewrite its response summary (call inside the write's transaction).

    `pending`: a visit as it is in memory, saved or not (the caller then saves it); it is classified with the
    others and its category set in memory, so a new visit's INSERT carries its category."""
    visits, rescue_dates = response_inputs(patient=patient)
    if pending is not None:
        visits = _in_order([v for v in visits if pending.pk is None or v.pk != pending.pk] + [pending])
    values, changed = response_values(patient=patient, visits=visits, rescue_dates=rescue_dates)
    changed = [v for v in changed if v.pk is not None]
    if changed:  # derived columns: written without a history row of their own
        Visit.objects.bulk_update(changed, ["category", "in_rescue_window"])
    summary_row = ResponseSummary(patient=patient, **values)
    ResponseSummary.objects.bulk_create([summary_row], update_conflicts=True, unique_fields=["patient"],
                                        update_fields=list(values))  # one INSERT ... ON CONFLICT DO UPDATE
    summary_row._state.adding = False
    return summary_row


def response_values(*, patient: Patient, visits: list[Visit], rescue_dates: list[date]) -> tuple[dict, list[Visit]]:
    """Classify `visits` (all of the patient's, in date order; saved or not) in memory, setting each one's category
    and rescue flag; return the response summary's values and the visits whose category or flag changed."""
    protocol = current_protocol()
    baseline_visit = _baseline_visit(visits)
    baseline = baseline_visit.platelets if baseline_visit else None
    counts = [
        Count(key=index, date=v.visit_date, platelets=v.platelets,
              bleeding_grade=effective_bleeding_grade(v, protocol))
        for index, v in enumerate(visits)
    ]
    summary = summarize(counts=counts, baseline=baseline, day0=patient.start_date, rescue_dates=rescue_dates,
                        protocol=protocol)
    assessed = {a.count.key: a for a in summary.assessed}

    changed = []
    for index, (visit, count) in enumerate(zip(visits, counts, strict=True)):
        if index in assessed:
            category, rescue = assessed[index].category, assessed[index].in_rescue_window
        else:  # on or before day 0: classified for the record, not part of the response
            category = classify(platelets=count.platelets, baseline=baseline, bleeding_grade=count.bleeding_grade,
                                protocol=protocol)
            rescue = False
        if (visit.category, visit.in_rescue_window) != (category, rescue):
            visit.category, visit.in_rescue_window = category, rescue
            changed.append(visit)
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
    return values, changed


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


def visit_build(*, patient: Patient, slot: ScheduledVisit | None, code: str, values: VisitValues, today: date,
                bleeding_required: bool) -> Visit:
    """A new visit (not saved) at `slot` (None: unscheduled), after the checks every recorded visit gets."""
    _check(patient=patient, code=code, values=values, today=today, bleeding_required=bleeding_required)
    return Visit(patient=patient, slot=slot, out_of_window_days=_deviation(slot, values.visit_date),
                 category="NE", **values.__dict__)


def visit_record(
    *, patient: Patient, code: str, values: VisitValues, user, reason: str = "", today: date | None = None,
    bleeding_required: bool = True, token: UUID | None = None, batch=None,
) -> Visit:
    """Record a protocol visit (by schedule code) or an unscheduled one, then recompute the response.

    `batch`: the study import's bulk writer (visits.interchange.EnrolmentBatch): the visit is checked and built the
    same way (visit_build) and written with the batch's other records; its response is computed there."""
    today = today or study_today()
    if batch is not None:
        return batch.visit_add(patient=patient, code=code, values=values, today=today,
                               bleeding_required=bleeding_required)
    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        patient = write.patient
        slot = None
        if code != UNSCHEDULED:
            slot = patient.slots.select_related("visit").filter(code=code).first()
            if slot is None:
                raise ValidationError({"code": _("%(code)s is not a visit of this patient's schedule.")
                                               % {"code": code}})
            existing = getattr(slot, "visit", None)
            if existing is not None:
                raise ValidationError({"code": ValidationError(
                    _("The %(code)s visit is already recorded; correct it instead."), code=VISIT_EXISTS,
                    params={"code": code, "visit_id": existing.pk})})
        visit = visit_build(patient=patient, slot=slot, code=code, values=values, today=today,
                            bleeding_required=bleeding_required)
        response_recompute(patient=patient, pending=visit)  # the category is known before the INSERT
        write.save(visit, known=("slot",) if slot is not None else ())
    return visit


def visit_update(*, visit: Visit, values: VisitValues, user, reason: str, version: int,
                 today: date | None = None) -> Visit:
    """Correct a saved visit as the user saw it (`version`): a reason is required; the response is recomputed."""
    today = today or study_today()
    with writing(user=user, reason=reason, patient=visit.patient_id) as write:
        visit = write.edit(visit, version=version)
        _check(patient=write.patient, code=visit.code, values=values, today=today, bleeding_required=True)
        for field, value in values.__dict__.items():
            setattr(visit, field, value)
        visit.out_of_window_days = _deviation(visit.slot, values.visit_date)
        write.save(visit)
        response_recompute(patient=write.patient, pending=visit)
    return visit


def rescue_record(*, patient: Patient, given_on: date, kind: str, details: str, user, reason: str = "",
                  today: date | None = None, token: UUID | None = None) -> RescueTherapy:
    today = today or study_today()
    if given_on > today:
        raise ValidationError({"given_on": _("Cannot be in the future.")})
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
