"""Where reminders come from: each domain says what is due, the inbox turns it into reminder candidates.

SOURCES is the one list the daily scan walks (a tuple of functions `(*, today) -> list[Candidate]`); a new
kind of due item is a new function here, or, later, a source its domain declares. Each source reads all
patients in a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import date

from dosing.due import sirolimus_stop_dates, troughs_due
from safety.due import labs_due, off_study_dates
from visits.selectors import visits_due

from .models import Reminder


@dataclass(frozen=True)
class Candidate:
    patient_id: int
    kind: str
    due_date: date
    audience: str
    params: dict = field(default_factory=dict)  # what the text says, as data (inbox.texts renders it)


def safety_labs(*, today: date) -> list[Candidate]:
    """Safety lab panels due or overdue (safety.schedule's rules), for the nurses."""
    return [Candidate(due.patient_id, Reminder.Kind.LAB_DUE if due.status == "due" else Reminder.Kind.LAB_OVERDUE,
                      due.due_date, Reminder.Audience.NURSE, {"panels": list(due.panels)})
            for due in labs_due(today=today)]


def sirolimus_troughs(*, today: date) -> list[Candidate]:
    """Trough levels due (dosing.tdm's checks), for the nurses; none once the patient is off study."""
    off_study = off_study_dates()
    return [Candidate(due.patient_id, Reminder.Kind.TROUGH_DUE, due.due_date, Reminder.Audience.NURSE,
                      {"reason": due.reason, "overdue": due.overdue})
            for due in troughs_due(today=today) if due.patient_id not in off_study]


def protocol_visits(*, today: date) -> list[Candidate]:
    """Protocol visits in their window and not recorded, for the nurses; none once the patient is off study, and no
    follow-up visit (month4 …) once sirolimus was stopped before its window opened."""
    off_study = off_study_dates()
    due = visits_due(today=today)
    stops = sirolimus_stop_dates(patient_ids=sorted({d.patient_id for d in due}))
    return [Candidate(d.patient_id, Reminder.Kind.VISIT_DUE, d.target_date, Reminder.Audience.NURSE,
                      {"visit": d.code, "closes": d.latest.isoformat()})
            for d in due if d.patient_id not in off_study and d.planned(stops.get(d.patient_id))]


SOURCES = (safety_labs, sirolimus_troughs, protocol_visits)


def reminder_candidates(*, today: date) -> list[Candidate]:
    """Everything due or overdue on `today`, for all patients, from every source."""
    return [candidate for source in SOURCES for candidate in source(today=today)]
