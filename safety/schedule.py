"""When safety labs are due (pure, no Django).

Slots are fixed from day 0: targets day 0, 14, 28, ... each with a window of ±3 days, while on sirolimus
and up to one month after stopping (SPEC §2: 28 days, the schedule's `safety_follow_up_days`; a slot whose
target is later than stop + 28 days is not planned). [decision] Status of a panel on `today`:
- due: today is inside a slot's window and no sample of the panel was taken since the window opened;
- done: a sample was taken inside the current window;
- overdue: the last window closed without a sample of the panel since it opened (a late sample clears it);
- upcoming: between windows with nothing outstanding; ended: after the last planned slot.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from visits.schedule import PROTOCOL_SCHEDULE, Schedule

from .protocol import SAFETY_PROTOCOL, SafetyProtocol


@dataclass(frozen=True)
class LabStatus:
    status: str  # due | overdue | done | upcoming | ended
    due_date: date | None  # the slot's target for due/overdue
    next_due: date | None  # the next slot's target still to come (None when none is planned)


def lab_status(*, day0: date, stop: date | None, last_sample: date | None, today: date,
               protocol: SafetyProtocol = SAFETY_PROTOCOL, schedule: Schedule = PROTOCOL_SCHEDULE) -> LabStatus:
    """One panel's status on `today` given its last sample (the rules above, worked out by lab_slots)."""
    return lab_slots(day0=day0, stop=stop, today=today, protocol=protocol, schedule=schedule).status(last_sample)


@dataclass(frozen=True)
class LabSlots:
    """Where `today` falls in one patient's lab schedule: the part of lab_status that does not depend on the
    samples, worked out once per patient (and shared by patients with the same day 0 and stop) for every panel.
    A panel's status is `if_sampled` when its last sample was taken on or after `opened`, else `if_not`."""

    opened: date | None  # the window that a sample clears opened on this day (None: no sample changes anything)
    if_sampled: LabStatus
    if_not: LabStatus

    def status(self, last_sample: date | None) -> LabStatus:
        """lab_status(day0, stop, last_sample, today) for the day 0, stop and today these slots were made for."""
        if self.opened is not None and last_sample is not None and last_sample >= self.opened:
            return self.if_sampled
        return self.if_not


def lab_slots(*, day0: date, stop: date | None, today: date, protocol: SafetyProtocol = SAFETY_PROTOCOL,
              schedule: Schedule = PROTOCOL_SCHEDULE) -> LabSlots:
    """The rules above with the last sample left open: worked out once per patient (the reminder scan reads
    thousands of patients × panels), then `status(last_sample)` per panel. safety/tests/test_schedule.py holds
    them, day by day, to a direct reading of the rules."""
    step, window = protocol.lab_interval_days, protocol.lab_window_days
    end = schedule.follow_up_end(stop) if stop else None

    def target(k: int) -> date:
        return day0 + timedelta(days=step * k)

    def planned(k: int) -> bool:
        return k >= 0 and (end is None or target(k) <= end)

    offset = (today - day0).days
    k = max(round(offset / step), 0)
    if planned(k) and abs((today - target(k)).days) <= window:
        done = LabStatus("done", None, target(k + 1) if planned(k + 1) else None)
        return LabSlots(target(k) - timedelta(days=window), done, LabStatus("due", target(k), target(k)))
    upcoming = next((target(j) for j in (k, k + 1) if planned(j) and target(j) > today), None)
    otherwise = LabStatus("upcoming", None, upcoming) if upcoming is not None else LabStatus("ended", None, None)
    last_planned = k if end is None else min(k, (end - day0).days // step)
    closed = next((j for j in (last_planned, last_planned - 1)
                   if planned(j) and target(j) + timedelta(days=window) < today), None)
    if closed is None:
        return LabSlots(None, otherwise, otherwise)
    return LabSlots(target(closed) - timedelta(days=window), otherwise,
                    LabStatus("overdue", target(closed), upcoming))
