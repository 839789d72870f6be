"""Therapeutic drug monitoring of sirolimus: the protocol's dosing rules on plain values (no database).

- Dose range by age group and phase (SPEC §4): outside the range is a warning that needs a stated reason.
- Regimen shape: a regimen is a sequence of dose changes, each in force from its start date until the next
  one, so it cannot have gaps or overlaps in between. What remains to refuse is a regimen that does not begin
  on day 0 (day 0 *is* the first dose: an earlier first dose overlaps the time before the study, a later one
  leaves a gap after day 0) and two changes on the same date (two doses in force at once).
- Trough classification against the target 5–15 ng/mL (both ends in range) and the trough-timing check.
- Suggested dose: current × 10 / measured, rounded half-up to 0.5 mg; none when there is no dose in force,
  when the level is 0 or missing, or when the sample was not drawn as a trough. A suggestion outside the
  protocol range says so (accepting it then needs a reason, like any dose outside the range).
  [decision] Only an out-of-range level gets a suggestion: the paper changed no dose for levels in range.
- Steady state (SPEC §4 [decision]): a level drawn fewer than 7 days after the dose in force started (the start
  dose counts: a week-1 level on day 5 or 6 is one) is shown as "before steady state". If high, a reduction is
  still suggested (the level will only rise) and awaits the physician; if low or in range no decision is awaited
  and a repeat level is due 7–14 days after that dose started.
- What is due (SPEC §2): troughs at week 1 and month 1, 7–14 days after any dose change, and the repeat of a
  level drawn before steady state.
- Treatment course at month 3 (SPEC §2) and the safety follow-up after stopping.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from patients.demographics import is_child
from visits.schedule import PROTOCOL_SCHEDULE

from .protocol import PROTOCOL, DoseRange, DosingProtocol

START, MAINTENANCE, ADJUSTMENT, TAPER, STOP = "start", "maintenance", "adjustment", "taper", "stop"
ADULT, CHILD = "adult", "child"
LOW, IN_RANGE, HIGH = "low", "in range", "high"
RESPONDING = frozenset({"R", "CR"})


def fmt(number: Decimal | float | int) -> str:
    """A dose or level without trailing zeros: 2, 0.5, 19.5."""
    return f"{Decimal(str(number)).normalize():f}"


# --- dose ranges ---------------------------------------------------------------------------------------------

def age_group(*, birth_date: date, on: date) -> str:
    """Adult or child on `on` (a child is < 18 years; the 18th birthday is the first adult day)."""
    return CHILD if is_child(birth_date, on) else ADULT


def dose_range(*, group: str, phase: str, protocol: DosingProtocol = PROTOCOL) -> DoseRange | None:
    """The protocol range of a phase. [decision] An adjustment may go anywhere from the maintenance low to the
    start high; a taper anywhere above 0 up to the start high; a stop is 0 (checked by phase_problem)."""
    start = protocol.child_start if group == CHILD else protocol.adult_start
    maintenance = protocol.child_maintenance if group == CHILD else protocol.adult_maintenance
    return {
        START: start,
        MAINTENANCE: maintenance,
        ADJUSTMENT: DoseRange(maintenance.low, start.high),
        TAPER: DoseRange(Decimal(0), start.high),
    }.get(phase)


def phase_problem(*, mg_per_day: Decimal, phase: str) -> str | None:
    """A stop is 0 mg/day and 0 mg/day is a stop (an error, not a warning)."""
    if phase == STOP and mg_per_day != 0:
        return "A stop is recorded as 0 mg/day."
    if phase != STOP and mg_per_day == 0:
        return "0 mg/day means sirolimus is stopped: choose the phase 'Stop' (or use Stop sirolimus)."
    return None


def dose_range_warning(*, mg_per_day: Decimal, phase: str, group: str, protocol: DosingProtocol = PROTOCOL
                       ) -> str | None:
    """Why the dose is outside the protocol range for the age group, or None when it is inside."""
    allowed = dose_range(group=group, phase=phase, protocol=protocol)
    if allowed is None or mg_per_day in allowed:
        return None
    return f"{fmt(mg_per_day)} mg/day is outside the {group} {phase} range ({allowed})."


# --- regimen ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    start_date: date
    mg_per_day: Decimal


def regimen_problem(*, day0: date, dates: Sequence[date]) -> str | None:
    """Refuse a regimen (all its start dates, after the write) with a gap or an overlap; see the module doc."""
    if not dates:
        return None
    ordered = sorted(dates)
    if ordered[0] != day0:
        if ordered[0] < day0:
            return (f"Overlap: a dose from {ordered[0]} would start before day 0 ({day0}), the first sirolimus "
                    "dose.")
        return (f"Gap: the regimen must begin with the day-0 dose on {day0} (first dose here: {ordered[0]}). "
                "Record the day-0 dose first.")
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier == later:
            return (f"Overlap: another dose change already starts on {later}; one dose is in force per day. "
                    "Correct that change instead.")
    return None


def change_in_force(changes: Sequence[Change], on: date) -> Change | None:
    """The change whose dose is taken on `on` (changes in any order); None before the first one."""
    current = None
    for change in sorted(changes, key=lambda c: c.start_date):
        if change.start_date > on:
            break
        current = change
    return current


def dose_for_sample(changes: Sequence[Change], sample_date: date) -> Change | None:
    """The dose a level reflects: the one taken the day before the sample. [decision] A trough is drawn before
    the day's dose, so a change starting on the sample date is not yet in the level (and may follow from it)."""
    return change_in_force(changes, sample_date - timedelta(days=1))


def stop_date(changes: Sequence[Change]) -> date | None:
    """The day sirolimus was stopped, if the regimen's last change is a stop (a later dose is a restart)."""
    ordered = sorted(changes, key=lambda c: c.start_date)
    if ordered and ordered[-1].mg_per_day == 0:
        return ordered[-1].start_date
    return None


# --- troughs --------------------------------------------------------------------------------------------------

def classify_trough(ng_ml: Decimal, protocol: DosingProtocol = PROTOCOL) -> str:
    if ng_ml < protocol.target_low:
        return LOW
    if ng_ml > protocol.target_high:
        return HIGH
    return IN_RANGE


def trough_timing_warning(hours_since_dose: Decimal | None, protocol: DosingProtocol = PROTOCOL) -> str | None:
    """A sample drawn outside the trough window is not a trough (None when in the window or not recorded)."""
    if hours_since_dose is None:
        return None
    if protocol.trough_hours_low <= hours_since_dose <= protocol.trough_hours_high:
        return None
    return (f"Not a trough: drawn {fmt(hours_since_dose)} h after the last dose (a trough is "
            f"{fmt(protocol.trough_hours_low)}–{fmt(protocol.trough_hours_high)} h after a once-daily dose).")


def too_soon_after_change(*, changed_on: date, sample_date: date, protocol: DosingProtocol = PROTOCOL) -> bool:
    """True when the dose in force changed fewer than `steady_state_days` days before the sample."""
    return (sample_date - changed_on).days < protocol.steady_state_days


@dataclass(frozen=True)
class SteadyState:
    """Whether a level reflects a steady state: `days` after the dose in force started (7 needed)."""

    reached: bool
    days: int
    dose_from: date  # the start of the dose the level reflects
    repeat_from: date  # a level is at steady state from here ...
    repeat_by: date  # ... and the repeat is due by here (7–14 days after the dose started)


def steady_state(*, current: Change, sample_date: date, protocol: DosingProtocol = PROTOCOL) -> SteadyState:
    days = (sample_date - current.start_date).days
    return SteadyState(
        reached=days >= protocol.steady_state_days, days=days, dose_from=current.start_date,
        repeat_from=current.start_date + timedelta(days=protocol.after_change_from_day),
        repeat_by=current.start_date + timedelta(days=protocol.after_change_to_day))


@dataclass(frozen=True)
class Suggestion:
    """A suggested dose (mg_per_day set) or why there is none (note).

    `awaits_decision` is False when no physician decision can be made on the level (a level before steady state
    that is not high: it is repeated instead, see `steady`)."""

    mg_per_day: Decimal | None
    arithmetic: str
    note: str = ""
    awaits_decision: bool = True
    steady: SteadyState | None = None

    @property
    def before_steady_state(self) -> bool:
        return self.steady is not None and not self.steady.reached


def round_to_step(value: Decimal, step: Decimal) -> Decimal:
    """Round half-up to the step: 1.25 → 1.5, 1.24 → 1.0 (with a 0.5 step)."""
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def suggest_dose(*, ng_ml: Decimal | None, current: Change | None, sample_date: date,
                 hours_since_dose: Decimal | None = None, protocol: DosingProtocol = PROTOCOL) -> Suggestion:
    """The dose the protocol suggests after a level (SPEC §4), with its arithmetic.

    [decision] A sample drawn outside the trough window gets no suggestion: the formula scales a trough.
    """
    if ng_ml is None or ng_ml <= 0:
        return Suggestion(None, "", "No suggestion: a level of 0 (or none) cannot scale the dose.")
    if trough_timing_warning(hours_since_dose, protocol) is not None:
        return Suggestion(None, "", "No suggestion: not a trough sample; repeat the level just before a dose.")
    if current is None or current.mg_per_day == 0:
        return Suggestion(None, "", "No suggestion: no sirolimus dose in force on the sample date.")
    steady = steady_state(current=current, sample_date=sample_date, protocol=protocol)
    level = classify_trough(ng_ml, protocol)
    if not steady.reached and level != HIGH:
        days = steady.days
        return Suggestion(None, "", f"Before steady state ({days} day{'' if days == 1 else 's'} on this dose, "
                                    f"{protocol.steady_state_days} needed): no decision now; repeat the level "
                                    f"from {steady.repeat_from} to {steady.repeat_by}.",
                          awaits_decision=False, steady=steady)
    if level == IN_RANGE:
        return Suggestion(None, "", "In target range: keep the dose.", awaits_decision=False, steady=steady)
    target = protocol.target_for_suggestion
    raw = current.mg_per_day * target / ng_ml
    rounded = round_to_step(raw, protocol.dose_step)
    notes = []
    if not steady.reached:
        notes.append(f"before steady state ({steady.days} day{'' if steady.days == 1 else 's'} on this dose): "
                     "the level will still rise")
    if rounded < protocol.dose_step:
        rounded = protocol.dose_step
        notes.append("the lowest step")
    arithmetic = (f"{fmt(current.mg_per_day)} mg × {fmt(target)} / {fmt(ng_ml)} = "
                  f"{raw.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)} → {rounded:.1f} mg/day")
    if rounded == current.mg_per_day:
        return Suggestion(None, arithmetic, "Rounded, the suggestion equals the current dose: no change.",
                          steady=steady)
    return Suggestion(rounded, arithmetic, "; ".join(notes), steady=steady)


# --- what is due ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueCheck:
    reason: str
    due_from: date
    due_by: date

    def overdue(self, today: date) -> bool:
        return today > self.due_by


def _candidate_checks(*, day0: date, ordered: Sequence[Change], protocol: DosingProtocol
                      ) -> list[tuple[DueCheck, date | None]]:
    """Every check of the regimen with the day it lapses (None: never)."""
    candidates: list[tuple[DueCheck, date | None]] = []
    checks = protocol.trough_checks
    for i, check in enumerate(checks):
        lapses = day0 + timedelta(days=checks[i + 1].day - checks[i + 1].before) if i + 1 < len(checks) else None
        candidates.append((DueCheck(check.label, day0 + timedelta(days=check.day - check.before),
                                    day0 + timedelta(days=check.day + check.after)), lapses))
    for i, change in enumerate(ordered):
        if change.start_date <= day0 or change.mg_per_day == 0:
            continue
        lapses = ordered[i + 1].start_date if i + 1 < len(ordered) else None
        candidates.append((DueCheck(f"{protocol.after_change_from_day}-{protocol.after_change_to_day} days after "
                                    f"the dose change of {change.start_date.isoformat()}",
                                    change.start_date + timedelta(days=protocol.after_change_from_day),
                                    change.start_date + timedelta(days=protocol.after_change_to_day)), lapses))
    return candidates


def _side_effect_checks(side_effects: Sequence[date], protocol: DosingProtocol) -> list[tuple[DueCheck, None]]:
    return [(DueCheck(f"significant side effect of {onset.isoformat()}", onset,
                      onset + timedelta(days=protocol.side_effect_check_days)), None)
            for onset in sorted(set(side_effects))]


@dataclass(frozen=True)
class Sample:
    """A trough level as the due checks see it (the level and timing are optional: a bare date counts as a
    level at steady state)."""

    sample_date: date
    ng_ml: Decimal | None = None
    hours_since_dose: Decimal | None = None


def _samples(trough_dates: Sequence[date | Sample]) -> list[Sample]:
    return [s if isinstance(s, Sample) else Sample(s) for s in trough_dates]


def _repeat_checks(day0: date, ordered: Sequence[Change], samples: Sequence[Sample], protocol: DosingProtocol
                   ) -> list[tuple[DueCheck, date | None]]:
    """A level of the start dose drawn before steady state that awaits no decision (a week-1 level on day 5 or
    6, not high) asks for a repeat 7–14 days after day 0, lapsing at the next change (which brings its own
    check). Any later change already has its 7–14 day check, which an earlier level does not satisfy."""
    found: dict[date, tuple[DueCheck, date | None]] = {}
    for sample in samples:
        if sample.ng_ml is None:
            continue
        current = dose_for_sample(ordered, sample.sample_date)
        if current is None or current.start_date > day0:
            continue
        suggestion = suggest_dose(ng_ml=sample.ng_ml, current=current, sample_date=sample.sample_date,
                                  hours_since_dose=sample.hours_since_dose, protocol=protocol)
        if not suggestion.before_steady_state or suggestion.awaits_decision or current.start_date in found:
            continue
        steady = suggestion.steady
        lapses = next((c.start_date for c in ordered if c.start_date > current.start_date), None)
        found[current.start_date] = (DueCheck(
            f"repeat at steady state ({protocol.after_change_from_day}-{protocol.after_change_to_day} days after the "
            f"dose of {current.start_date.isoformat()}; the level of {sample.sample_date.isoformat()} was drawn "
            f"before it)", steady.repeat_from, steady.repeat_by), lapses)
    return list(found.values())


def due_checks(*, day0: date, changes: Sequence[Change], trough_dates: Sequence[date | Sample], today: date,
               side_effects: Sequence[date] = (), protocol: DosingProtocol = PROTOCOL) -> list[DueCheck]:
    """Trough checks due or overdue on `today`.

    `trough_dates` are the levels sampled (dates, or Samples with their level, which also ask for the repeat of
    a level drawn before steady state). `side_effects` are the onset dates of significant side effects (see
    DosingProtocol): each asks for a level from its onset.

    A check is due from its first day until a level is sampled on or after that day; overdue after its last
    day. [decision] The week-1 check lapses once the month-1 check is due, and a dose-change check lapses at
    the next change (which brings its own check). Nothing is due once sirolimus is stopped (on or before
    today); a restart brings its own 7–14 day check. The day-0 dose is covered by week 1 and month 1.
    """
    ordered = sorted(changes, key=lambda c: c.start_date)
    stopped = stop_date(ordered)
    if stopped is not None and stopped <= today:
        return []
    due = []
    samples = _samples(trough_dates)
    candidates = (_candidate_checks(day0=day0, ordered=ordered, protocol=protocol)
                  + _repeat_checks(day0, ordered, samples, protocol))
    for check, lapses in candidates + _side_effect_checks(side_effects, protocol):
        if check.due_from > today or (lapses is not None and lapses <= today):
            continue
        if any(sample.sample_date >= check.due_from for sample in samples):
            continue
        due.append(check)
    return sorted(due, key=lambda c: c.due_from)


def next_check(*, day0: date, changes: Sequence[Change], today: date, protocol: DosingProtocol = PROTOCOL,
               trough_dates: Sequence[date | Sample] = ()) -> DueCheck | None:
    """The next check that will fall due after `today` as the regimen stands (None once stopped)."""
    ordered = sorted(changes, key=lambda c: c.start_date)
    if stop_date(ordered) is not None:
        return None
    candidates = (_candidate_checks(day0=day0, ordered=ordered, protocol=protocol)
                  + _repeat_checks(day0, ordered, _samples(trough_dates), protocol))
    upcoming = [check for check, lapses in candidates
                if check.due_from > today and (lapses is None or lapses > check.due_from)]
    return min(upcoming, key=lambda c: c.due_from, default=None)


# --- treatment course -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CourseFlag:
    kind: str  # "pending", "continue", "taper", "not_evaluable", "stopped"
    text: str


def course_flag(*, day0: date, today: date, current_status: str | None, stopped_on: date | None,
                protocol: DosingProtocol = PROTOCOL, off_study_on: date | None = None) -> CourseFlag:
    """The month-3 decision (SPEC §2). [decision] A responder is a patient whose current status is R or CR.
    Off study, no course decision is pending: only the stop of sirolimus, if not recorded yet."""
    decision_day = day0 + timedelta(days=protocol.course_decision_day)
    if off_study_on is not None and (stopped_on is None or stopped_on > today):
        return CourseFlag("off_study", f"Off study since {off_study_on}: record the date sirolimus was stopped "
                                       f"(safety follow-up runs {PROTOCOL_SCHEDULE.safety_follow_up_days} days from "
                                       "it).")
    if stopped_on is not None and stopped_on <= today:
        end = follow_up_end(stopped_on, protocol)
        return CourseFlag("stopped", f"Sirolimus stopped on {stopped_on}; safety follow-up until {end}.")
    if today < decision_day:
        return CourseFlag("pending", f"Month-3 course decision on {decision_day} (at least 3 months of treatment).")
    if current_status in RESPONDING:
        months = protocol.responders_continue_months
        until = day0 + timedelta(days=round(months * 30.4375))
        return CourseFlag("continue", f"Responder ({current_status}): continue ≥ {months} months (until at least "
                                      f"{until}).")
    if current_status in (None, "", "NE"):
        return CourseFlag("not_evaluable", "Month 3 passed and the response is not evaluable: record a count.")
    return CourseFlag("taper", f"No response at month 3 ({current_status}): taper and stop per protocol.")


def follow_up_end(stopped_on: date, protocol: DosingProtocol = PROTOCOL) -> date:
    """Safety follow-up continues this long after the stop (SPEC §2: 1 month = 28 days, declared once in the
    visit schedule)."""
    return PROTOCOL_SCHEDULE.follow_up_end(stopped_on)


# --- concomitant medications ----------------------------------------------------------------------------------
# The interacting drugs and their names (generic, brand, Chinese) are a vocabulary of their own: dosing.drugs.
