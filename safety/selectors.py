"""Reads for the safety panel of the patient page, the study safety page and the reminder inbox.

Each runs a fixed number of queries, whatever the number of patients or records.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch

from casebook.selectors import CasebookLocks, casebook_locks
from itp_trial.roles import role_of
from patients.models import Patient

from .ctcae import PANEL_LABELS, SCHEDULED_PANELS
from .models import AdverseEvent, AeProposal, LabSample, LabValue, Reminder, ReminderRead, TregMeasurement, Withdrawal
from .reminders import last_lab_dates, stop_dates
from .resolution import reminder_resolutions
from .schedule import LabStatus, lab_status

RECENT_SAMPLES = 6


def off_study_dates(*, patient_ids: list[int] | None = None) -> dict[int, date]:
    """The off-study date of each patient taken off study (one query)."""
    rows = Withdrawal.objects.filter(off_study_date__isnull=False)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=patient_ids)
    return dict(rows.values_list("patient_id", "off_study_date"))


@dataclass(frozen=True)
class PanelRow:
    panel: str
    label: str
    status: LabStatus
    last_sample: date | None


def lab_schedule(*, patient: Patient, today: date, stop: date | None) -> list[PanelRow]:
    last = last_lab_dates(patient_ids=[patient.pk])
    return [PanelRow(panel.value, PANEL_LABELS[panel], lab_status(day0=patient.start_date, stop=stop,
                                                                  last_sample=last.get((patient.pk, panel.value)),
                                                                  today=today), last.get((patient.pk, panel.value)))
            for panel in SCHEDULED_PANELS]


def safety_panel(*, patient: Patient, today: date, locks: CasebookLocks | None = None) -> dict:
    """What the patient page shows about safety: lab schedule, proposals, AEs, withdrawal, Treg, recent labs.
    Adverse events, lab values and the withdrawal carry `editable` (casebook lock)."""
    stop = stop_dates(patient_ids=[patient.pk]).get(patient.pk)
    panels = lab_schedule(patient=patient, today=today, stop=stop)
    upcoming = [row.status.next_due for row in panels if row.status.next_due]
    samples = list(LabSample.objects.filter(patient=patient).order_by("-sample_date", "-id")
                   .prefetch_related(Prefetch("values", queryset=LabValue.objects.order_by("id")))
                   [:RECENT_SAMPLES])
    events = list(AdverseEvent.objects.filter(patient=patient).order_by("onset_date", "id"))
    withdrawal = Withdrawal.objects.filter(patient=patient).select_related("adverse_event").first()
    (locks or casebook_locks(patient_id=patient.pk)).annotate(
        [*events, *(value for sample in samples for value in sample.values.all()),
         *([withdrawal] if withdrawal else [])])
    return {
        "panels": panels,
        "next_due": min(upcoming) if upcoming else None,
        "overdue": [row for row in panels if row.status.status == "overdue"],
        "due_now": [row for row in panels if row.status.status == "due"],
        "stop": stop,
        "proposals": list(AeProposal.objects.filter(patient=patient, status=AeProposal.Status.PROPOSED)
                          .select_related("lab_value").order_by("id")),
        "events": events,
        "withdrawal": withdrawal,
        "treg": {t.timepoint: t for t in TregMeasurement.objects.filter(patient=patient)},
        "samples": samples,
    }


def study_safety(*, today: date) -> dict:
    """The study safety page: proposals to decide, withdrawals to complete, overdue labs, every adverse event."""
    patients = list(Patient.objects.order_by("study_id").values_list("pk", "study_id", "start_date"))
    stops = stop_dates(patient_ids=[p[0] for p in patients])
    last = last_lab_dates()
    overdue = []
    for pk, study_id, day0 in patients:
        late = [PANEL_LABELS[panel] for panel in SCHEDULED_PANELS
                if lab_status(day0=day0, stop=stops.get(pk), last_sample=last.get((pk, panel.value)),
                              today=today).status == "overdue"]
        if late:
            overdue.append((study_id, late))
    return {
        "proposals": list(AeProposal.objects.filter(status=AeProposal.Status.PROPOSED)
                          .select_related("patient", "lab_value").order_by("patient__study_id", "id")),
        "withdrawals": list(Withdrawal.objects.filter(off_study_date__isnull=True).select_related(
            "patient", "adverse_event").order_by("patient__study_id")),
        "off_study": list(Withdrawal.objects.filter(off_study_date__isnull=False).select_related("patient")
                          .order_by("patient__study_id")),
        "events": list(AdverseEvent.objects.select_related("patient").order_by("patient__study_id", "onset_date",
                                                                               "id")),
        "overdue_labs": overdue,
    }


def _audiences(user) -> list[str]:
    role = role_of(user)
    return [role.code] if role and role.code in Reminder.Audience.values else []


def inbox(*, user, limit: int = 200) -> list[Reminder]:
    """The user's reminders (their role's): to do first (neither read nor resolved), newest due date first;
    `is_read` and `resolution` (safety.resolution: the cause done, by whom) set on each."""
    read = ReminderRead.objects.filter(reminder=OuterRef("pk"), user=user)
    reminders = list(Reminder.objects.filter(audience__in=_audiences(user)).select_related("patient")
                     .annotate(is_read=Exists(read)).order_by("is_read", "-due_date", "-id")[:limit])
    resolutions = reminder_resolutions(reminders)
    for reminder in reminders:
        reminder.resolution = resolutions.get(reminder.pk)
    return sorted(reminders, key=lambda r: r.is_read or r.resolution is not None)  # stable: keeps date order


def unread_count(*, user) -> int:
    """Reminders the user has neither read nor seen resolved (a fixed number of queries)."""
    read = ReminderRead.objects.filter(reminder=OuterRef("pk"), user=user)
    unread = list(Reminder.objects.filter(audience__in=_audiences(user)).exclude(Exists(read))
                  .only("id", "patient_id", "kind", "due_date"))
    return len(unread) - len(reminder_resolutions(unread))
