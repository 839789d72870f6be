"""The protocol's visit schedule, declared once as data (SPEC §2).

Day 0 is the first sirolimus dose. Each protocol visit has a target day and a window;
a visit's status is computed from today and never stored.

Status [decision]: upcoming before the window opens; due from the window's first day
to the target day; overdue after the target day while the window is still open;
missed once the window has closed without a visit; done when a visit is recorded.
After off study, every visit not done whose window had not closed by the off-study
date is "not done (off study)". A follow-up visit (months 4 and 5, and every 28 days
after month 6) is planned only while the patient is on sirolimus: when sirolimus was
stopped on or before the day its window opens, it is "not planned".
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

UNSCHEDULED = "unscheduled"


@dataclass(frozen=True)
class VisitDef:
    code: str
    label: str
    day: int
    window_before: int
    window_after: int
    timepoint: bool = True  # counted in the study's response tables (Table 2/3)
    follow_up: bool = False  # planned only while on sirolimus (SPEC §2 [decision]); not in the Friedman test

    def target(self, day0: date) -> date:
        return day0 + timedelta(days=self.day)

    def earliest(self, day0: date) -> date:
        return self.target(day0) - timedelta(days=self.window_before)

    def latest(self, day0: date) -> date:
        return self.target(day0) + timedelta(days=self.window_after)

    def in_window(self, visit_date: date, day0: date) -> bool:
        return self.earliest(day0) <= visit_date <= self.latest(day0)


@dataclass(frozen=True)
class Schedule:
    version: str
    visits: tuple[VisitDef, ...]
    # SPEC §2: "1 month after stopping" means 28 days everywhere (the schedule's month: month1 = day 28). Safety
    # labs and the dosing panel's follow-up end both count it from the sirolimus stop.
    safety_follow_up_days: int = 28

    def follow_up_end(self, stopped_on: date) -> date:
        """The last day of the safety follow-up after sirolimus was stopped on `stopped_on`."""
        return stopped_on + timedelta(days=self.safety_follow_up_days)

    def get(self, code: str) -> VisitDef | None:
        return next((v for v in self.visits if v.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.visits)

    @property
    def timepoints(self) -> tuple[VisitDef, ...]:
        """Post-baseline protocol visits reported in the response tables."""
        return tuple(v for v in self.visits if v.timepoint)

    def problems(self) -> list[str]:
        """Inconsistencies that must stop the app from starting (see itp_trial.checks)."""
        found = []
        codes = [v.code for v in self.visits]
        if len(set(codes)) != len(codes):
            found.append("visit codes are not unique")
        if UNSCHEDULED in codes:
            found.append(f"'{UNSCHEDULED}' is reserved for unscheduled visits")
        if not self.visits or self.visits[0].code != BASELINE:
            found.append(f"the first visit must be '{BASELINE}'")
        days = [v.day for v in self.visits]
        if days != sorted(days) or len(set(days)) != len(days):
            found.append("visit days must strictly increase")
        for v in self.visits:
            if v.window_before < 0 or v.window_after < 0:
                found.append(f"{v.code}: window must not be negative")
        for a, b in zip(self.visits, self.visits[1:], strict=False):
            # [decision] Windows may share their edge day (28-day follow-up visits with ±14: month6 and month7
            # both include day 182), never more.
            if a.day + a.window_after > b.day - b.window_before:
                found.append(f"windows of {a.code} and {b.code} overlap")
        return found

    @property
    def core_timepoints(self) -> tuple[VisitDef, ...]:
        """The timepoints every patient has (not the on-drug follow-up visits): the Friedman test's."""
        return tuple(v for v in self.timepoints if not v.follow_up)


BASELINE = "baseline"

# SPEC §2 (windows are a [decision] of the study team). Version 1.1 added the follow-up visits: month4 and
# month5 (±7) for patients still on sirolimus after month 3, and after month 6 one every 28 days while on drug
# (month7 = day 196 … month12 = day 336, ±14).
PROTOCOL_SCHEDULE = Schedule(
    version="1.1",
    visits=(
        VisitDef(BASELINE, "Baseline", 0, 7, 0, timepoint=False),
        VisitDef("week1", "Week 1", 7, 2, 2),
        VisitDef("week2", "Week 2", 14, 2, 2),
        VisitDef("week3", "Week 3", 21, 2, 2),
        VisitDef("month1", "Month 1", 28, 3, 3),
        VisitDef("month2", "Month 2", 56, 7, 7),
        VisitDef("month3", "Month 3", 84, 7, 7),
        VisitDef("month4", "Month 4", 112, 7, 7, follow_up=True),
        VisitDef("month5", "Month 5", 140, 7, 7, follow_up=True),
        VisitDef("month6", "Month 6", 168, 14, 14),
        *(VisitDef(f"month{m}", f"Month {m}", 28 * m, 14, 14, follow_up=True) for m in range(7, 13)),
    ),
)


class SlotStatus(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"
    DONE = "done"
    NOT_PLANNED = "not-planned"  # a follow-up visit after sirolimus was stopped
    OFF_STUDY = "off-study"  # not done (off study)

    @property
    def open(self) -> bool:
        """Still to do: a visit may be recorded and reminded."""
        return self in (SlotStatus.UPCOMING, SlotStatus.DUE, SlotStatus.OVERDUE)

    @property
    def recordable(self) -> bool:
        """A visit may be recorded in the slot (a missed one late, with its deviation)."""
        return self.open or self is SlotStatus.MISSED


def slot_status(*, target: date, earliest: date, latest: date, done: bool, today: date, follow_up: bool = False,
                stopped_on: date | None = None, off_study_on: date | None = None) -> SlotStatus:
    """The status of a slot on `today`; `stopped_on` is the day sirolimus was stopped (follow-up visits are not
    planned from then) and `off_study_on` the off-study date (the visits still open then are not done)."""
    if done:
        return SlotStatus.DONE
    if off_study_on is not None and latest >= off_study_on:
        return SlotStatus.OFF_STUDY
    if follow_up and stopped_on is not None and stopped_on <= earliest:
        return SlotStatus.NOT_PLANNED
    if today < earliest:
        return SlotStatus.UPCOMING
    if today <= target:
        return SlotStatus.DUE
    if today <= latest:
        return SlotStatus.OVERDUE
    return SlotStatus.MISSED


def window_deviation(*, visit_date: date, earliest: date, latest: date) -> int:
    """Days outside the window: negative when early, positive when late, 0 inside."""
    if visit_date < earliest:
        return (visit_date - earliest).days
    if visit_date > latest:
        return (visit_date - latest).days
    return 0
