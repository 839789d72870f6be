"""The protocol's dosing and drug-monitoring constants (SPEC §2, §4), declared once as data.

Pure: no Django. A study that changes a range, the target or a window edits this object, not the rules.
Decisions the paper leaves open are marked [decision].
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DoseRange:
    low: Decimal
    high: Decimal

    def __contains__(self, mg: Decimal) -> bool:
        return self.low <= mg <= self.high

    def __str__(self) -> str:
        return f"{self.low:g}–{self.high:g} mg/day"


@dataclass(frozen=True)
class TroughCheck:
    """A protocol trough check relative to day 0: due from `day - before` to `day + after`."""

    label: str  # a code, worded by dosing.messages
    day: int
    before: int
    after: int


@dataclass(frozen=True)
class DosingProtocol:
    # SPEC §4 dosing table (mg/day), by age group; a child is < 18 years on the dose's start date.
    adult_start: DoseRange = DoseRange(Decimal(2), Decimal(4))
    adult_maintenance: DoseRange = DoseRange(Decimal(1), Decimal(2))
    child_start: DoseRange = DoseRange(Decimal(1), Decimal(2))
    child_maintenance: DoseRange = DoseRange(Decimal("0.5"), Decimal(1))
    # Target trough (ng/mL), both ends inside the range.
    target_low: Decimal = Decimal(5)
    target_high: Decimal = Decimal(15)
    # Suggested dose = current × target / measured, rounded to the step [decision].
    target_for_suggestion: Decimal = Decimal(10)
    dose_step: Decimal = Decimal("0.5")
    # No suggestion when the dose changed fewer than this many days before the sample (steady state 7–14 days).
    steady_state_days: int = 7
    # [decision] A once-daily trough is drawn just before the next dose: 20–28 h after the last one.
    trough_hours_low: Decimal = Decimal(20)
    trough_hours_high: Decimal = Decimal(28)
    # SPEC §2: troughs at week 1 and month 1 (windows as the visits of the same day [decision]),
    # and 7–14 days after any dose change.
    trough_checks: tuple[TroughCheck, ...] = (
        TroughCheck("week_1", 7, 2, 2),
        TroughCheck("month_1", 28, 3, 3),
    )
    after_change_from_day: int = 7
    after_change_to_day: int = 14
    # SPEC §2: also "when a significant side effect occurs". [decision] Significant = an adverse event of
    # CTCAE grade ≥ 2; the level is due from its onset for 3 days.
    side_effect_min_grade: int = 2
    side_effect_check_days: int = 3
    # Treatment course (SPEC §2): decided at month 3; responders continue at least 6 months.
    course_decision_day: int = 84
    responders_continue_months: int = 6


PROTOCOL = DosingProtocol()


def current_dosing_protocol() -> DosingProtocol:
    return PROTOCOL
