"""What is due in drug monitoring, for the patient page, the study list and the reminder scan.

Read by the trough type's due source (trough_due_items), the patient page and the reports:
- troughs_due(*, today) -> list[TroughDue]: every trough check due or overdue on `today`, for all patients,
  in a fixed number of queries.
- sirolimus_stop_dates(*, patient_ids) -> dict[int, date]: the day sirolimus was stopped, per patient that stopped.

The rules themselves (which checks, when they lapse) are in dosing.tdm.due_checks.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import translation

from casebook.due import Due
from patients.models import Patient
from patients.selectors import off_study_dates
from safety.models import AdverseEvent

from .messages import due_text
from .models import DoseChange, Trough
from .protocol import PROTOCOL
from .tdm import Change, DueCheck, Sample, due_checks, stop_date


@dataclass(frozen=True)
class TroughDue:
    patient_id: int
    study_id: str
    due_date: date  # first day the check is due
    check: str  # why (dosing.tdm.DueCheck.kind): week_1, month_1, after_change, side_effect, repeat
    overdue: bool
    due_by: date | None = None  # last day of the check's window (overdue after it)
    check_params: dict = field(default_factory=dict, compare=False)

    @property
    def reason(self) -> str:
        """Why, in the reader's language: "week 1", "7-14 days after the dose change of 2026-03-02"."""
        return due_text(self.check, self.check_params)


def changes_by_patient(patient_ids: Iterable[int] | None = None) -> dict[int, list[Change]]:
    rows = DoseChange.objects.order_by("patient_id", "start_date")
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    changes: dict[int, list[Change]] = defaultdict(list)
    for patient_id, start, mg in rows.values_list("patient_id", "start_date", "mg_per_day"):
        changes[patient_id].append(Change(start, mg))
    return changes


def trough_dates_by_patient(patient_ids: Iterable[int] | None = None) -> dict[int, list[Sample]]:
    """Each patient's levels (date, level, hours since the dose): what the due checks need."""
    rows = Trough.objects.all()
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    samples: dict[int, list[Sample]] = defaultdict(list)
    for patient_id, sampled, ng_ml, hours in rows.values_list("patient_id", "sample_date", "ng_ml",
                                                              "hours_since_dose"):
        samples[patient_id].append(Sample(sampled, ng_ml, hours))
    return samples


def side_effect_dates_by_patient(patient_ids: Iterable[int] | None = None) -> dict[int, list[date]]:
    """Onsets of significant side effects (adverse events of the protocol's grade or more), per patient."""
    rows = AdverseEvent.objects.filter(grade__gte=PROTOCOL.side_effect_min_grade)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    dates: dict[int, list[date]] = defaultdict(list)
    for patient_id, onset in rows.values_list("patient_id", "onset_date"):
        dates[patient_id].append(onset)
    return dates


def patient_troughs_due(*, patient: Patient, changes: list[Change], trough_dates: list[date | Sample],
                        today: date,
                        side_effects: list[date] = ()) -> list[TroughDue]:
    """The checks due for one patient whose regimen, trough dates and side effects are already loaded."""
    return [
        TroughDue(patient_id=patient.pk, study_id=patient.study_id, due_date=check.due_from, check=check.kind,
                  overdue=check.overdue(today), due_by=check.due_by, check_params=check.params)
        for check in due_checks(day0=patient.start_date, changes=changes, trough_dates=trough_dates, today=today,
                                side_effects=side_effects)
    ]


def _checks_due(*, today: date) -> list[tuple[int, str, DueCheck]]:
    """(patient id, study id, check) of every trough check due or overdue on `today`, all patients, in four
    queries; by due date, then study id. dosing.tdm.due_checks is worked out once per distinct input (patients who
    started on the same day with the same regimen, levels and side effects share their checks: the same objects)."""
    patients = Patient.objects.order_by("study_id").values_list("id", "study_id", "start_date")
    changes = changes_by_patient()
    trough_dates = trough_dates_by_patient()
    side_effects = side_effect_dates_by_patient()
    checks_of: dict[tuple, list[DueCheck]] = {}
    due = []
    for patient_id, study_id, day0 in patients:
        key = (day0, tuple(changes.get(patient_id, ())), tuple(trough_dates.get(patient_id, ())),
               tuple(side_effects.get(patient_id, ())))
        checks = checks_of.get(key)
        if checks is None:
            checks = checks_of[key] = due_checks(day0=day0, changes=key[1], trough_dates=key[2], today=today,
                                                 side_effects=key[3])
        due.extend((patient_id, study_id, check) for check in checks)
    due.sort(key=lambda d: (d[2].due_from, d[1]))
    return due


def troughs_due(*, today: date) -> list[TroughDue]:
    """Every trough check due or overdue on `today`, all patients, in four queries; by due date, then study id."""
    return [TroughDue(patient_id=patient_id, study_id=study_id, due_date=check.due_from, check=check.kind,
                      overdue=check.overdue(today), due_by=check.due_by, check_params=check.params)
            for patient_id, study_id, check in _checks_due(today=today)]


def sirolimus_stop_dates(*, patient_ids: Iterable[int] | None) -> dict[int, date]:
    """The stop date of each of `patient_ids` (all when None) whose regimen ends with a stop (0 mg/day), in one
    query."""
    stops = {}
    for patient_id, changes in changes_by_patient(patient_ids).items():
        stopped = stop_date(changes)
        if stopped is not None:
            stops[patient_id] = stopped
    return stops


def course_stops(*, patient_ids: Iterable[int] | None = None) -> dict[int, dict[str, date]]:
    """The dose type's part of the patient's course (RecordType.course): the day sirolimus was stopped."""
    stops = sirolimus_stop_dates(patient_ids=patient_ids)
    return {patient_id: {"stopped_on": day} for patient_id, day in stops.items()}


def trough_due_items(*, today: date) -> list[Due]:
    """The trough type's due source (RecordType.due): trough levels due (dosing.tdm's checks), for the nurses;
    none once the patient is off study. The reminder keeps why as a code with its values (`check`,
    `check_params`: dosing.messages.trough_reminder_reason words them in the reader's language); `reason` is the
    same in English, for readers that do not word the code yet. The parameters depend on the check only: made
    (and worded) once per distinct check, shared by the patients who have it."""
    off_study = off_study_dates()
    params_of: dict[int, dict] = {}
    items = []
    with translation.override("en"):
        for patient_id, _study_id, check in _checks_due(today=today):
            if patient_id in off_study:
                continue
            params = params_of.get(id(check))  # the checks are alive in _checks_due's list: ids are not reused
            if params is None:
                params = params_of[id(check)] = {"reason": due_text(check.kind, check.params),
                                                 "overdue": check.overdue(today), "check": check.kind,
                                                 "check_params": check.params}
            items.append(Due(patient_id, "trough", "trough_due", check.due_from, params["overdue"], "nurse", params))
    return items
