"""The safety decisions of the protocol (SPEC §2, §5), in one place: a study changes them without touching logic."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SafetyProtocol:
    lab_interval_days: int = 14  # safety labs every 14 days from day 0 ...
    lab_window_days: int = 3  # ... ±3 days
    # ... while on sirolimus and for 1 month after stopping: 28 days, declared once in visits.schedule
    withdrawal_grade: int = 3  # an adverse event of this grade or higher starts withdrawal
    treg_timepoints: tuple[str, ...] = ("baseline", "month3")
    # [decision] samples taken up to day 0 are the baseline: they set BL and propose no adverse event
    baseline_proposes_ae: bool = False
    # [decision] a decrease (haemoglobin, white cells, neutrophils) proposes an adverse event only when its grade
    # is worse than the patient's baseline grade: cytopenia present before sirolimus is not a new event
    decreases_propose_only_when_worse: bool = True


SAFETY_PROTOCOL = SafetyProtocol()
