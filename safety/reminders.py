"""The reminder scan: what is due or overdue today, turned into reminders once per patient/kind/due date.

The scan reads everything in a fixed number of queries (no per-patient query) and inserts candidates with
ON CONFLICT DO NOTHING on the unique key, so a second run, a concurrent run or a redelivered task creates
nothing twice; the scan's own rows are found by its batch id. Email goes out separately, for reminders
not yet emailed, under a row lock (see reminders_email_pending).
"""

import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dosing.due import sirolimus_stop_dates, troughs_due
from patients.models import Patient
from visits.models import ScheduledVisit
from visits.schedule import slot_status
from visits.selectors import is_follow_up, slot_label

from .ctcae import PANEL_LABELS, SCHEDULED_PANELS
from .models import LabValue, Reminder, Withdrawal
from .schedule import lab_status


@dataclass(frozen=True)
class Candidate:
    patient_id: int
    kind: str
    due_date: date
    audience: str
    message: str


def stop_dates(*, patient_ids: list[int]) -> dict[int, date]:
    """The day safety follow-up counts from: sirolimus stopped, or off study if that came first."""
    off_study = dict(Withdrawal.objects.filter(patient_id__in=patient_ids, off_study_date__isnull=False
                                               ).values_list("patient_id", "off_study_date"))
    return _follow_up_from(sirolimus_stop_dates(patient_ids=patient_ids), off_study)


def _follow_up_from(sirolimus_stops: dict[int, date], off_study: dict[int, date]) -> dict[int, date]:
    stops = dict(sirolimus_stops)
    for patient_id, off in off_study.items():
        stops[patient_id] = min(stops.get(patient_id, off), off)
    return stops


def last_lab_dates(*, patient_ids: list[int] | None = None) -> dict[tuple[int, str], date]:
    rows = LabValue.objects.all()
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=patient_ids)
    rows = rows.values("patient_id", "panel").annotate(last=Max("sample_date")).order_by()
    return {(row["patient_id"], row["panel"]): row["last"] for row in rows}


def lab_candidates(*, patients: list[tuple[int, str, date]], stops: dict[int, date], today: date) -> list[Candidate]:
    last = last_lab_dates()
    found = []
    for patient_id, study_id, day0 in patients:
        grouped: dict[tuple[str, date], list[str]] = {}
        for panel in SCHEDULED_PANELS:
            status = lab_status(day0=day0, stop=stops.get(patient_id), last_sample=last.get((patient_id, panel)),
                                today=today)
            if status.status in ("due", "overdue"):
                grouped.setdefault((status.status, status.due_date), []).append(PANEL_LABELS[panel].lower())
        for (status, due_date), panels in grouped.items():
            kind = Reminder.Kind.LAB_DUE if status == "due" else Reminder.Kind.LAB_OVERDUE
            found.append(Candidate(patient_id, kind, due_date, Reminder.Audience.NURSE,
                                   f"{study_id}: safety labs ({', '.join(panels)}) {status} — target "
                                   f"{due_date:%Y-%m-%d}"))
    return found


def reminder_candidates(*, today: date) -> list[Candidate]:
    """Everything due or overdue on `today`, for all patients, in a fixed number of queries."""
    patients = list(Patient.objects.order_by("pk").values_list("pk", "study_id", "start_date"))
    ids = [p[0] for p in patients]
    sirolimus_stops = sirolimus_stop_dates(patient_ids=ids)
    off_study = dict(Withdrawal.objects.filter(off_study_date__isnull=False).values_list("patient_id",
                                                                                         "off_study_date"))
    stops = _follow_up_from(sirolimus_stops, off_study)
    found = lab_candidates(patients=patients, stops=stops, today=today)
    for due in troughs_due(today=today):
        if due.patient_id in off_study:
            continue
        found.append(Candidate(due.patient_id, Reminder.Kind.TROUGH_DUE, due.due_date, Reminder.Audience.NURSE,
                               f"{due.study_id}: sirolimus trough level {'overdue' if due.overdue else 'due'} "
                               f"({due.reason}) from {due.due_date:%Y-%m-%d}"))
    slots = (ScheduledVisit.objects.filter(visit__isnull=True, earliest__lte=today, latest__gte=today)
             .values_list("patient_id", "patient__study_id", "code", "target_date", "earliest", "latest"))
    for patient_id, study_id, code, target, earliest, latest in slots:
        status = slot_status(target=target, earliest=earliest, latest=latest, done=False, today=today,
                             follow_up=is_follow_up(code), stopped_on=sirolimus_stops.get(patient_id),
                             off_study_on=off_study.get(patient_id))
        if not status.open:  # off study, or a follow-up visit no longer planned
            continue
        found.append(Candidate(patient_id, Reminder.Kind.VISIT_DUE, target, Reminder.Audience.NURSE,
                               f"{study_id}: {slot_label(code)} visit due — target {target:%Y-%m-%d}, window "
                               f"closes {latest:%Y-%m-%d}"))
    return found


def _pause_for_tests() -> None:
    """Test-only hook (settings.SAFETY_SCAN_PAUSE_FILE, set only by the test settings from the environment):
    while that file exists the scan waits here, inside its transaction, so a test can kill the worker mid-scan."""
    pause_file = getattr(settings, "SAFETY_SCAN_PAUSE_FILE", "")
    if not pause_file:
        return
    path = Path(pause_file)
    if path.exists():
        Path(f"{pause_file}.reached").touch()
    while path.exists():
        time.sleep(0.05)


@transaction.atomic
def reminders_scan(*, today: date) -> int:
    """Create the reminders due on `today`; returns how many this run created (0 on a repeated run)."""
    batch = uuid.uuid4()
    rows = [Reminder(patient_id=c.patient_id, kind=c.kind, due_date=c.due_date, audience=c.audience,
                     message=c.message[:250], batch=batch) for c in reminder_candidates(today=today)]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    _pause_for_tests()
    return Reminder.objects.filter(batch=batch).count()


def _recipients() -> dict[str, list[str]]:
    """Active users with an email address, per study role (the reminder audiences)."""
    found: dict[str, list[str]] = {}
    users = (get_user_model().objects.filter(is_active=True, groups__name__in=Reminder.Audience.values)
             .exclude(email="").values_list("groups__name", "email").order_by("email"))
    for role, email in users:
        found.setdefault(role, []).append(email)
    return found


def reminders_email_pending(*, limit: int = 1000) -> int:
    """Email every reminder not emailed yet to its audience; returns how many reminders were emailed (sent to at
    least one address: a reminder whose role has nobody with an email address is marked done, not counted).

    The rows are locked (skip locked: two workers never take the same reminder) and marked emailed in the
    transaction that sends them. A worker killed after the SMTP hand-off and before the commit would send
    that batch again on redelivery: email is at-least-once in that window, the in-app inbox exactly once.
    """
    with transaction.atomic():
        pending = list(Reminder.objects.select_for_update(skip_locked=True).filter(emailed_at__isnull=True)
                       .order_by("pk")[:limit])
        if not pending:
            return 0
        recipients = _recipients()
        messages = [(f"[ITP trial] {r.get_kind_display()}: {r.message[:80]}",
                     f"{r.message}\n\nOpen your inbox in the trial application to act on it.",
                     settings.DEFAULT_FROM_EMAIL, recipients[r.audience])
                    for r in pending if recipients.get(r.audience)]
        if messages:
            send_mass_mail(messages, fail_silently=False)
        Reminder.objects.filter(pk__in=[r.pk for r in pending]).update(emailed_at=timezone.now())
        return len(messages)
