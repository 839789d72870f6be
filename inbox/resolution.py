"""A reminder is resolved when its cause is done, and says by whom: read from the records that did it.

Never stored: a reminder's resolution is derived when the inbox is read, from the same records the protocol
reads (the visit at the slot, the lab samples, the trough, the decided proposals, the off-study record), so it
follows corrections and cannot drift. "By whom" is the user whose saved record did it (its history's creator,
or the physician who decided). Off study, the visits and trough levels still open are resolved too: only the
safety follow-up (labs) goes on. All reminders of a page in a fixed number of queries, whatever their number.

Rules (the reminder's due date is what the scan keyed it by):
- visit due (the slot's target date): a visit recorded at that slot;
- safety labs due or overdue (the lab slot's target): every scheduled panel sampled since that slot's window
  opened (a late sample clears an overdue one, as safety.schedule reads it);
- trough due (the first day of the check): a level sampled on or after it, or sirolimus stopped since;
- adverse event to confirm (the lab's sample date): every proposal from that day's labs confirmed or dismissed;
- withdrawal to complete: the off-study record.
An "adverse event to review" reminder (a corrected lab value behind a confirmed AE) has no record that says it
was reviewed: it stays until read.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model

from dosing.models import DoseChange, Trough
from patients.models import Withdrawal
from safety.ctcae import SCHEDULED_PANELS
from safety.models import AeProposal, LabSample, LabValue
from safety.protocol import SAFETY_PROTOCOL
from visits.models import Visit

from .models import Reminder

VISIT_RECORDED, LABS_TAKEN, TROUGH_TAKEN = "visit_recorded", "labs_taken", "trough_taken"
SIROLIMUS_STOPPED, PROPOSALS_DECIDED, OFF_STUDY = "sirolimus_stopped", "proposals_decided", "off_study"
ENDED_BY_OFF_STUDY = {Reminder.Kind.VISIT_DUE, Reminder.Kind.TROUGH_DUE, Reminder.Kind.WITHDRAWAL}


@dataclass(frozen=True)
class Resolution:
    how: str  # one of the codes above (inbox texts turn it into words)
    by: object | None  # the user whose record resolved it (None when not known, e.g. imported)
    on: datetime | date | None


def _creators(model, pks) -> dict[int, tuple[int | None, datetime]]:
    """Who created each record and when (its first history row)."""
    rows = (model.history.model.objects.filter(id__in=set(pks), history_type="+")
            .values_list("id", "history_user_id", "history_date"))
    return {pk: (user_id, when) for pk, user_id, when in rows}


def reminder_resolutions(reminders: Sequence[Reminder]) -> dict[int, Resolution]:
    """The resolution of each resolved reminder among `reminders`, by reminder id."""
    by_kind: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_kind[reminder.kind].append(reminder)
    if not by_kind:
        return {}
    patient_ids = {r.patient_id for r in reminders}
    found: dict[int, tuple[str, int | None, object]] = {}
    if by_kind.get(Reminder.Kind.VISIT_DUE):
        found |= _visits(by_kind[Reminder.Kind.VISIT_DUE])
    labs = by_kind.get(Reminder.Kind.LAB_DUE, []) + by_kind.get(Reminder.Kind.LAB_OVERDUE, [])
    if labs:
        found |= _labs(labs)
    if by_kind.get(Reminder.Kind.TROUGH_DUE):
        found |= _troughs(by_kind[Reminder.Kind.TROUGH_DUE])
    if by_kind.get(Reminder.Kind.AE_PROPOSED):
        found |= _proposals(by_kind[Reminder.Kind.AE_PROPOSED])
    if any(by_kind.get(kind) for kind in ENDED_BY_OFF_STUDY):
        off = _off_study(patient_ids)
        for reminder in reminders:
            if reminder.kind in ENDED_BY_OFF_STUDY and reminder.pk not in found and reminder.patient_id in off:
                found[reminder.pk] = (OFF_STUDY, *off[reminder.patient_id])
    users = get_user_model().objects.in_bulk({user_id for _, user_id, _ in found.values() if user_id})
    return {pk: Resolution(how, users.get(user_id), on) for pk, (how, user_id, on) in found.items()}


def _visits(reminders: list[Reminder]) -> dict:
    rows = (Visit.objects.filter(patient_id__in={r.patient_id for r in reminders},
                                 slot__target_date__in={r.due_date for r in reminders})
            .values_list("patient_id", "slot__target_date", "pk"))
    visit_at = {(patient_id, target): pk for patient_id, target, pk in rows}
    creators = _creators(Visit, visit_at.values())
    found = {}
    for r in reminders:
        pk = visit_at.get((r.patient_id, r.due_date))
        if pk is not None:
            found[r.pk] = (VISIT_RECORDED, *creators.get(pk, (None, None)))
    return found


def _labs(reminders: list[Reminder]) -> dict:
    window = timedelta(days=SAFETY_PROTOCOL.lab_window_days)
    rows = (LabValue.objects.filter(patient_id__in={r.patient_id for r in reminders},
                                    panel__in=[p.value for p in SCHEDULED_PANELS],
                                    sample_date__gte=min(r.due_date for r in reminders) - window)
            .values_list("patient_id", "panel", "sample_date", "sample_id").order_by("sample_date", "sample_id"))
    samples: dict[int, list[tuple[str, date, int]]] = defaultdict(list)
    for patient_id, panel, sampled, sample_id in rows:
        samples[patient_id].append((panel, sampled, sample_id))
    completing: dict[int, int] = {}
    for r in reminders:
        first: dict[str, int] = {}
        for panel, sampled, sample_id in samples.get(r.patient_id, []):
            if sampled >= r.due_date - window:
                first.setdefault(panel, sample_id)
        if len(first) == len(SCHEDULED_PANELS):
            completing[r.pk] = max(first.values())  # the sample that completed the set
    creators = _creators(LabSample, completing.values())
    return {pk: (LABS_TAKEN, *creators.get(sample_id, (None, None))) for pk, sample_id in completing.items()}


def _troughs(reminders: list[Reminder]) -> dict:
    patient_ids = {r.patient_id for r in reminders}
    earliest = min(r.due_date for r in reminders)
    levels: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for patient_id, sampled, pk in (Trough.objects.filter(patient_id__in=patient_ids, sample_date__gte=earliest)
                                    .values_list("patient_id", "sample_date", "pk").order_by("sample_date", "pk")):
        levels[patient_id].append((sampled, pk))
    stops: dict[int, tuple[date, int]] = {}
    for patient_id, start, mg, pk in (DoseChange.objects.filter(patient_id__in=patient_ids)
                                      .values_list("patient_id", "start_date", "mg_per_day", "pk")
                                      .order_by("patient_id", "start_date")):
        if mg == 0:
            stops[patient_id] = (start, pk)
        else:
            stops.pop(patient_id, None)  # a restart: the regimen's last change is what counts
    found, trough_of, stop_of = {}, {}, {}
    for r in reminders:
        level = next((pk for sampled, pk in levels.get(r.patient_id, []) if sampled >= r.due_date), None)
        if level is not None:
            trough_of[r.pk] = level
        elif r.patient_id in stops:
            stop_of[r.pk] = stops[r.patient_id][1]
    trough_creators = _creators(Trough, trough_of.values())
    stop_creators = _creators(DoseChange, stop_of.values())
    for pk, level in trough_of.items():
        found[pk] = (TROUGH_TAKEN, *trough_creators.get(level, (None, None)))
    for pk, stop in stop_of.items():
        found[pk] = (SIROLIMUS_STOPPED, *stop_creators.get(stop, (None, None)))
    return found


def _proposals(reminders: list[Reminder]) -> dict:
    decided: dict[tuple[int, date], list[tuple[str, int | None, date | None]]] = defaultdict(list)
    rows = (AeProposal.objects.filter(patient_id__in={r.patient_id for r in reminders},
                                      lab_value__sample_date__in={r.due_date for r in reminders})
            .values_list("patient_id", "lab_value__sample_date", "status", "decided_by_id", "decided_on")
            .order_by("decided_on", "pk"))
    for patient_id, sampled, status, user_id, on in rows:
        decided[(patient_id, sampled)].append((status, user_id, on))
    found = {}
    for r in reminders:
        proposals = decided.get((r.patient_id, r.due_date), [])
        if proposals and all(status != AeProposal.Status.PROPOSED for status, _, _ in proposals):
            _, user_id, on = proposals[-1]  # the last decision closed it
            found[r.pk] = (PROPOSALS_DECIDED, user_id, on)
    return found


def _off_study(patient_ids: set[int]) -> dict[int, tuple[int | None, datetime | None]]:
    """Who recorded each patient's off-study date, and when (the first history row holding it)."""
    found: dict[int, tuple[int | None, datetime | None]] = {}
    rows = (Withdrawal.history.model.objects.filter(patient_id__in=patient_ids, off_study_date__isnull=False)
            .values_list("patient_id", "history_user_id", "history_date").order_by("history_date", "history_id"))
    for patient_id, user_id, when in rows:
        found.setdefault(patient_id, (user_id, when))
    return found
