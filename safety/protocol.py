"""The safety decisions of the protocol (SPEC §2, §5), in one place: a study changes them without touching logic."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SafetyProtocol:
    lab_interval_days: int = 14  # safety labs every 14 days from day 0 ...
    lab_window_days: int = 3  # ... ±3 days
    follow_up_months: int = 1  # ... while on sirolimus and for 1 month after stopping
    withdrawal_grade: int = 3  # an adverse event of this grade or higher starts withdrawal
    treg_timepoints: tuple[str, ...] = ("baseline", "month3")
    # [decision] samples taken up to day 0 are the baseline: they set BL and propose no adverse event
    baseline_proposes_ae: bool = False


SAFETY_PROTOCOL = SafetyProtocol()
