"""Reads of visits and schedules, each in a fixed number of queries."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection

from casebook.course import Course, courses
from casebook.due import Due
from casebook.panels import LAST, Panel
from casebook.selectors import CasebookLocks
from patients.models import Patient

from .messages import visit_name, window_warning
from .models import RescueTherapy, ScheduledVisit, Visit
from .schedule import PROTOCOL_SCHEDULE, SlotStatus, slot_status
from .validation import window_problem


@dataclass(frozen=True)
class SlotRow:
    slot: ScheduledVisit
    label: str
    status: SlotStatus
    visit: Visit | None


def response_inputs(*, patient: Patient) -> tuple[list[Visit], list[date]]:
    """What a patient's response is computed from: the visits (with their slots, by date) and the days rescue
    therapy was given. One query on PostgreSQL (the visits carry the rescue days, an array the database computes
    once); two elsewhere (SQLite: `make run`), or for a patient without visits."""
    visits = Visit.objects.filter(patient_id=patient.pk).select_related("slot").order_by("visit_date", "id")
    rescue = RescueTherapy.objects.filter(patient_id=patient.pk).order_by().values_list("given_on", flat=True)
    if connection.vendor == "postgresql":
        found = list(visits.annotate(rescue_days=ArraySubquery(rescue.values("given_on"))))
        if found:
            return found, list(found[0].rescue_days)
        return found, list(rescue)
    return list(visits), list(rescue)


def slot_label(code: str) -> str:
    """A protocol visit's name in the active language (the code itself for an unscheduled visit)."""
    return visit_name(code) if PROTOCOL_SCHEDULE.get(code) else code


FOLLOW_UP_CODES = frozenset(v.code for v in PROTOCOL_SCHEDULE.visits if v.follow_up)


def is_follow_up(code: str) -> bool:
    return code in FOLLOW_UP_CODES


def status_of(slot: ScheduledVisit, *, done: bool, today: date, stopped_on: date | None = None,
              off_study_on: date | None = None) -> SlotStatus:
    """A slot's status on `today`, given the day sirolimus was stopped and the off-study date (if any)."""
    return slot_status(target=slot.target_date, earliest=slot.earliest, latest=slot.latest, done=done, today=today,
                       follow_up=is_follow_up(slot.code), stopped_on=stopped_on, off_study_on=off_study_on)


def patient_schedule(*, patient: Patient, today: date, stopped_on: date | None = None,
                     off_study_on: date | None = None) -> list[SlotRow]:
    slots = ScheduledVisit.objects.filter(patient=patient).select_related("visit").order_by("target_date")
    rows = []
    for slot in slots:
        visit = getattr(slot, "visit", None)
        rows.append(SlotRow(slot, slot_label(slot.code),
                            status_of(slot, done=visit is not None, today=today, stopped_on=stopped_on,
                                      off_study_on=off_study_on), visit))
    return rows


def patient_visits(*, patient: Patient) -> list[Visit]:
    return list(Visit.objects.filter(patient=patient).select_related("slot").order_by("visit_date", "id"))


def visit_window_message(visit: Visit) -> str:
    if not visit.slot_id or visit.out_of_window_days == 0:
        return ""
    return window_warning(window_problem(visit.out_of_window_days, earliest=visit.slot.earliest,
                                         latest=visit.slot.latest))


def next_open_slots(*, patient_ids: list[int], today: date, stops: Mapping[int, date] | None = None,
                    off_study: Mapping[int, date] | None = None) -> dict[int, tuple[ScheduledVisit, SlotStatus]]:
    """Each patient's next protocol visit still to do (window not yet closed, still planned), in one query.
    `stops` and `off_study` give each patient's sirolimus stop and off-study dates."""
    stops, off_study = stops or {}, off_study or {}
    found: dict[int, tuple[ScheduledVisit, SlotStatus]] = {}
    open_slots = ScheduledVisit.objects.filter(
        patient_id__in=patient_ids, visit__isnull=True, latest__gte=today
    ).order_by("patient_id", "target_date")
    for slot in open_slots:
        if slot.patient_id not in found:
            status = status_of(slot, done=False, today=today, stopped_on=stops.get(slot.patient_id),
                               off_study_on=off_study.get(slot.patient_id))
            if status.open:
                found[slot.patient_id] = (slot, status)
    return found


@dataclass(frozen=True)
class VisitDue:
    patient_id: int
    study_id: str
    code: str
    target_date: date
    latest: date  # the window closes after this day
    earliest: date | None = None  # the window opens on this day

    def planned(self, stopped_on: date | None) -> bool:
        """False for a follow-up visit whose window opened after sirolimus was stopped on `stopped_on`."""
        return not (is_follow_up(self.code) and stopped_on is not None and self.earliest is not None
                    and stopped_on <= self.earliest)


def visits_due(*, today: date) -> list[VisitDue]:
    """Protocol visits whose window is open on `today` and that are not recorded yet, for all patients (1 query).
    A follow-up visit may no longer be planned (`VisitDue.planned`: sirolimus stopped before it).

    The visit type's due source (visit_due_items) reads the same slots."""
    slots = (ScheduledVisit.objects.filter(visit__isnull=True, earliest__lte=today, latest__gte=today)
             .order_by("patient_id", "target_date")
             .values_list("patient_id", "patient__study_id", "code", "target_date", "latest", "earliest"))
    return [VisitDue(*row) for row in slots]


def visit_due_items(*, today: date) -> list[Due]:
    """The visit type's due source (RecordType.due): protocol visits in their window and not recorded that are
    still planned (not a follow-up visit after sirolimus was stopped before its window, not off study), for the
    nurses; all patients in a fixed number of queries (the open slots, then every patient's course: no list of
    ids sent back), one tight loop over the rows."""
    slots = (ScheduledVisit.objects.filter(visit__isnull=True, earliest__lte=today, latest__gte=today)
             .order_by("patient_id", "target_date")
             .values_list("patient_id", "code", "target_date", "latest", "earliest"))
    course = courses(patient_ids=None)
    no_end = Course()
    params_of: dict[tuple[str, date], dict] = {}  # one per visit and closing day, shared (never changed in place)
    items = []
    for patient_id, code, target, latest, earliest in slots:
        ends = course.get(patient_id, no_end)
        status = slot_status(target=target, earliest=earliest, latest=latest, done=False, today=today,
                             follow_up=is_follow_up(code), stopped_on=ends.stopped_on,
                             off_study_on=ends.off_study_on)
        if status.open:
            params = params_of.get((code, latest))
            if params is None:
                params = params_of[code, latest] = {"visit": code, "closes": latest.isoformat()}
            items.append(Due(patient_id, "visit", "visit_due", target, status is SlotStatus.OVERDUE, "nurse", params))
    return items


def visit_panels(*, patient: Patient, today: date, locks: CasebookLocks, course: Course) -> list[Panel]:
    """The visit type's panels on the patient page (RecordType.panel): the schedule beside the patient's details,
    the visits recorded (with the casebook's signatures) below."""
    visits = locks.annotate(patient_visits(patient=patient))
    schedule = patient_schedule(patient=patient, today=today, stopped_on=course.stopped_on,
                                off_study_on=course.off_study_on)
    return [
        Panel("visits/schedule_panel.html", {"schedule": schedule}, place="aside"),
        Panel("visits/visits_panel.html", {
            "visits": [(v, (v.visit_date - patient.start_date).days, visit_window_message(v), v.casebook_lock)
                       for v in visits],
            "casebook_signatures": [s for s in locks.signatures if s.up_to is not None],
        }),
    ]


def rescue_panels(*, patient: Patient, today: date, locks: CasebookLocks, course: Course) -> list[Panel]:
    """The rescue therapy type's panel on the patient page (RecordType.panel), after the others."""
    rescue = list(patient.rescue_therapies.all())
    return [Panel("visits/rescue_panel.html", {"rescue_therapies": rescue}, place=LAST)] if rescue else []
