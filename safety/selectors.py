"""Reads for the safety panel of the patient page and the study safety page.

Each runs a fixed number of queries, whatever the number of patients or records.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from casebook.course import Course
from casebook.panels import Panel
from casebook.selectors import CasebookLocks, casebook_locks
from patients.models import Patient, Withdrawal

from .ctcae import PANEL_LABELS, SCHEDULED_PANELS
from .due import last_lab_dates, stop_dates
from .models import AdverseEvent, AeProposal, LabSample, LabValue, TregMeasurement
from .schedule import LabStatus, lab_status

RECENT_SAMPLES = 6


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


def safety_panels(*, patient: Patient, today: date, locks: CasebookLocks, course: Course) -> list[Panel]:
    """The lab sample type's panel on the patient page (RecordType.panel): the safety follow-up."""
    return [Panel("safety/panel.html", {"safety": safety_panel(patient=patient, today=today, locks=locks)})]


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

