"""Reads for the dosing panel of the patient page and the study's drug-monitoring list (fixed query counts)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from casebook.course import Course
from casebook.panels import Panel
from casebook.selectors import CasebookLocks, casebook_locks
from patients.models import Patient, Withdrawal
from visits.schedule import PROTOCOL_SCHEDULE

from .drugs import interacting_drugs, is_grapefruit
from .due import TroughDue, changes_by_patient, patient_troughs_due, side_effect_dates_by_patient, troughs_due
from .messages import (
    GRAPEFRUIT_ADVICE,
    GROUPS,
    arithmetic_text,
    drug_label,
    interaction_text,
    level_label,
    suggestion_note,
)
from .models import ConMed, DoseChange, Trough
from .protocol import PROTOCOL
from .tdm import (
    ADJUSTMENT,
    HIGH,
    IN_RANGE,
    LOW,
    Change,
    CourseFlag,
    Problem,
    Sample,
    Suggestion,
    age_group,
    change_in_force,
    classify_trough,
    course_flag,
    dose_for_sample,
    dose_range_warning,
    follow_up_end,
    next_check,
    stop_date,
    suggest_dose,
    trough_timing_warning,
)


@dataclass(frozen=True)
class DoseRow:
    dose: DoseChange
    group: str
    range_warning: Problem | None  # worded by dosing.messages (str() in a template)
    current: bool

    @property
    def group_label(self) -> str:
        return str(GROUPS.get(self.group, self.group))


@dataclass(frozen=True)
class TroughRow:
    trough: Trough
    level: str  # low, in range, high
    timing_warning: Problem | None  # worded by dosing.messages (str() in a template)
    dose_in_force: Change | None
    suggestion: Suggestion
    changed_since: date | None = None  # the first dose change on or after the sample: the level was acted on
    suggestion_warning: Problem | None = None  # the suggested dose is outside the protocol range

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def note(self) -> str:
        """The suggestion's note in the reader's language."""
        return suggestion_note(self.suggestion)

    @property
    def arithmetic(self) -> str:
        """The suggestion's arithmetic (numbers), "" when none."""
        return arithmetic_text(self.suggestion)

    @property
    def flagged(self) -> bool:
        return self.level != IN_RANGE

    @property
    def can_accept(self) -> bool:
        return (self.trough.review == Trough.Review.OPEN and self.suggestion.mg_per_day is not None
                and self.changed_since is None)

    @property
    def awaiting_review(self) -> bool:
        """A flagged level nobody has decided on, and no dose change since."""
        return self.can_dismiss and self.changed_since is None

    @property
    def can_dismiss(self) -> bool:
        """A flagged level a physician can decide on (a level before steady state that is not high awaits no
        decision: it is repeated, see `repeat`)."""
        return self.trough.review == Trough.Review.OPEN and self.flagged and self.suggestion.awaits_decision

    @property
    def before_steady_state(self) -> bool:
        return self.suggestion.before_steady_state

    @property
    def repeat(self):
        """The steady-state window a level drawn too early is repeated in (None at steady state)."""
        return self.suggestion.steady if self.before_steady_state and not self.suggestion.awaits_decision else None


@dataclass(frozen=True)
class ConMedRow:
    con_med: ConMed
    drugs: tuple[str, ...]  # the interacting drugs (dosing.drugs codes) its name refers to, each once
    active: bool
    grapefruit: bool

    @property
    def interacts_as(self) -> str | None:
        return self.drugs[0] if self.drugs else None

    @property
    def interactions(self) -> list[tuple[str, str]]:
        """(generic name, what it does to the level) for each interacting drug, in the reader's language; the
        generic name is "" when it is what was typed (the warning names the drug once)."""
        typed = self.con_med.name.strip().casefold()
        return [("" if drug_label(code).casefold() == typed else drug_label(code), interaction_text(code))
                for code in self.drugs]


def _changes(doses: list[DoseChange]) -> list[Change]:
    return [Change(d.start_date, d.mg_per_day) for d in doses]


def trough_row(trough: Trough, changes: list[Change], birth_date: date) -> TroughRow:
    in_force = dose_for_sample(changes, trough.sample_date)
    suggestion = suggest_dose(ng_ml=trough.ng_ml, current=in_force, sample_date=trough.sample_date,
                              hours_since_dose=trough.hours_since_dose)
    warning = None
    if suggestion.mg_per_day is not None:
        warning = dose_range_warning(mg_per_day=suggestion.mg_per_day, phase=ADJUSTMENT,
                                     group=age_group(birth_date=birth_date, on=trough.sample_date))
    return TroughRow(
        trough=trough, level=classify_trough(trough.ng_ml), dose_in_force=in_force,
        timing_warning=trough_timing_warning(trough.hours_since_dose), suggestion=suggestion,
        changed_since=min((c.start_date for c in changes if c.start_date >= trough.sample_date), default=None),
        suggestion_warning=warning,
    )


def _response_status(patient: Patient) -> str | None:
    try:
        return patient.response.current_status
    except Patient.response.RelatedObjectDoesNotExist:
        return None


def dosing_panel(*, patient: Patient, today: date, locks: CasebookLocks | None = None,
                 off_study_on: date | None = None) -> dict:
    """What the patient page shows about dosing, in four queries (the response summary comes with `patient`;
    the casebook's signatures come with `locks`, or cost one more). Records carry `editable` (casebook lock).

    Always shown: day 0 is the first sirolimus dose, so what is due and the course apply before any entry. Off
    study (`off_study_on`), no trough is due, no dose is current, and the stop of sirolimus is asked for.
    """
    doses = list(patient.dose_changes.order_by("start_date"))
    troughs = list(patient.troughs.select_related("reviewed_by", "resulting_dose").order_by(
        "-sample_date", "-sample_time", "-id"))
    con_meds = list(patient.con_meds.order_by("-start_date", "-id"))
    (locks or casebook_locks(patient_id=patient.pk)).annotate([*doses, *troughs, *con_meds])
    changes = _changes(doses)
    samples = [Sample(t.sample_date, t.ng_ml, t.hours_since_dose) for t in troughs]
    current = None if off_study_on is not None else change_in_force(changes, today)  # off study: none current
    dose_rows = []
    for d in doses:
        group = age_group(birth_date=patient.birth_date, on=d.start_date)
        dose_rows.append(DoseRow(
            dose=d, group=group, current=current is not None and d.start_date == current.start_date,
            range_warning=dose_range_warning(mg_per_day=d.mg_per_day, phase=d.phase, group=group),
        ))
    con_med_rows = [
        ConMedRow(con_med=c, drugs=tuple(interacting_drugs(c.name)), grapefruit=is_grapefruit(c.name),
                  active=c.start_date <= today and (c.stop_date is None or c.stop_date >= today))
        for c in con_meds
    ]
    stopped_on = stop_date(changes)
    on_stop = stopped_on is not None and stopped_on <= today
    flag: CourseFlag = course_flag(day0=patient.start_date, today=today, current_status=_response_status(patient),
                                   stopped_on=stopped_on, off_study_on=off_study_on)
    off_study = off_study_on is not None
    return {
        "current": current,
        "current_row": next((row for row in dose_rows if row.current), None),
        "off_study_on": off_study_on,
        "stop_missing": off_study and not on_stop,  # off study, but no stop of sirolimus recorded
        "follow_up_days": PROTOCOL_SCHEDULE.safety_follow_up_days,
        "doses": list(reversed(dose_rows)),
        "troughs": [trough_row(t, changes, patient.birth_date) for t in troughs],
        "con_meds": con_med_rows,
        # while on sirolimus (after a stop the rows keep their "interacts" badge, without the warning)
        "interactions": [row for row in con_med_rows if row.interacts_as and row.active and not on_stop],
        "grapefruit_advice": GRAPEFRUIT_ADVICE,
        "due": [] if off_study else patient_troughs_due(
            patient=patient, changes=changes, trough_dates=samples, today=today,
            side_effects=side_effect_dates_by_patient([patient.pk]).get(patient.pk, [])),
        "next_check": None if off_study else next_check(day0=patient.start_date, changes=changes, today=today,
                                                        trough_dates=samples),
        "course": flag,
        "stopped_on": stopped_on if on_stop else None,
        "follow_up_end": follow_up_end(stopped_on) if stopped_on is not None else None,
        "target": (PROTOCOL.target_low, PROTOCOL.target_high),
    }


def dosing_panels(*, patient: Patient, today: date, locks: CasebookLocks, course: Course) -> list[Panel]:
    """The dose type's panel on the patient page (RecordType.panel)."""
    return [Panel("dosing/panel.html", {"dosing": dosing_panel(patient=patient, today=today, locks=locks,
                                                               off_study_on=course.off_study_on)})]


@dataclass(frozen=True)
class MonitoringRow:
    study_id: str
    current_mg: object
    due: list[TroughDue]
    to_review: list[TroughRow]
    latest: TroughRow | None
    interactions: list[str]


def drug_monitoring_list(*, today: date) -> list[MonitoringRow]:
    """The study-wide list: per patient still on study with something to act on — a trough due or overdue, a
    flagged level awaiting the physician's decision, or an interacting drug taken now. Eight queries whatever the
    size."""
    due_by_patient: dict[int, list[TroughDue]] = defaultdict(list)
    for item in troughs_due(today=today):  # three queries
        due_by_patient[item.patient_id].append(item)
    changes = changes_by_patient()
    latest: dict[int, Trough] = {}
    open_troughs: dict[int, list[Trough]] = defaultdict(list)
    for trough in Trough.objects.order_by("patient_id", "sample_date", "sample_time", "id"):
        latest[trough.patient_id] = trough
        if trough.review == Trough.Review.OPEN and classify_trough(trough.ng_ml) in (LOW, HIGH):
            open_troughs[trough.patient_id].append(trough)
    interactions: dict[int, list[str]] = defaultdict(list)
    for patient_id, name, start, stop in ConMed.objects.values_list("patient_id", "name", "start_date", "stop_date"):
        if interacting_drugs(name) and start <= today and (stop is None or stop >= today):
            interactions[patient_id].append(name)
    rows = []
    off_study = set(Withdrawal.objects.filter(off_study_date__isnull=False).values_list("patient_id", flat=True))
    for patient_id, study_id, birth in Patient.objects.exclude(pk__in=off_study).order_by("study_id").values_list(
            "id", "study_id", "birth_date"):
        own = changes.get(patient_id, [])
        to_review = [row for row in (trough_row(t, own, birth) for t in open_troughs.get(patient_id, []))
                     if row.awaiting_review]
        if not (due_by_patient.get(patient_id) or to_review or interactions.get(patient_id)):
            continue
        in_force = change_in_force(own, today)
        rows.append(MonitoringRow(
            study_id=study_id, current_mg=in_force.mg_per_day if in_force else None,
            due=due_by_patient.get(patient_id, []), to_review=to_review,
            latest=trough_row(latest[patient_id], own, birth) if patient_id in latest else None,
            interactions=interactions.get(patient_id, []),
        ))
    return rows


def trough_assessment(*, trough: Trough) -> TroughRow:
    """One level with its flags and suggestion, against the patient's regimen (one query)."""
    changes = [Change(d, mg) for d, mg in trough.patient.dose_changes.values_list("start_date", "mg_per_day")]
    return trough_row(trough, changes, trough.patient.birth_date)
