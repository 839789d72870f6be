"""What is due in drug monitoring, for the patient page, the study list and the reminder scan.

Contract used by the safety reminders (keep the names and fields):
- troughs_due(*, today) -> list[TroughDue]: every trough check due or overdue on `today`, for all patients,
  in a fixed number of queries.
- sirolimus_stop_dates(*, patient_ids) -> dict[int, date]: the day sirolimus was stopped, per patient that stopped.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TroughDue:
    patient_id: int
    study_id: str
    due_date: date  # first day the check is due
    reason: str  # e.g. "week 1", "month 1", "7-14 days after the dose change of 2026-03-02"
    overdue: bool
