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
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Problem:
    """What a rule found, as data: a code and its values (numbers, dates, codes), put into words in the reader's
    language in one place, dosing.messages. `str()` gives those words (for a form error or an import problem)."""

    code: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        from .messages import problem_text  # words need Django's translations; the rules do not

        return str(problem_text(self))


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


def phase_problem(*, mg_per_day: Decimal, phase: str) -> Problem | None:
    """A stop is 0 mg/day and 0 mg/day is a stop (an error, not a warning)."""
    if phase == STOP and mg_per_day != 0:
        return Problem("phase.stop_not_zero")
    if phase != STOP and mg_per_day == 0:
        return Problem("phase.zero_not_stop")
    return None


def dose_range_warning(*, mg_per_day: Decimal, phase: str, group: str, protocol: DosingProtocol = PROTOCOL
                       ) -> Problem | None:
    """Why the dose is outside the protocol range for the age group, or None when it is inside."""
    allowed = dose_range(group=group, phase=phase, protocol=protocol)
    if allowed is None or mg_per_day in allowed:
        return None
    return Problem("dose.out_of_range", {"mg": mg_per_day, "group": group, "phase": phase, "low": allowed.low,
                                         "high": allowed.high})


# --- regimen ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    start_date: date
    mg_per_day: Decimal


def regimen_problem(*, day0: date, dates: Sequence[date]) -> Problem | None:
    """Refuse a regimen (all its start dates, after the write) with a gap or an overlap; see the module doc."""
    if not dates:
        return None
    ordered = sorted(dates)
    if ordered[0] != day0:
        if ordered[0] < day0:
            return Problem("regimen.before_day0", {"first": ordered[0], "day0": day0})
        return Problem("regimen.gap_after_day0", {"first": ordered[0], "day0": day0})
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier == later:
            return Problem("regimen.same_day", {"date": later})
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


def trough_timing_warning(hours_since_dose: Decimal | None, protocol: DosingProtocol = PROTOCOL
                          ) -> Problem | None:
    """A sample drawn outside the trough window is not a trough (None when in the window or not recorded)."""
    if hours_since_dose is None:
        return None
    if protocol.trough_hours_low <= hours_since_dose <= protocol.trough_hours_high:
        return None
    return Problem("trough.not_a_trough", {"hours": hours_since_dose, "low": protocol.trough_hours_low,
                                           "high": protocol.trough_hours_high})


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


# What suggest_dose found (Suggestion.kind): a dose, or why there is none.
NO_LEVEL, NOT_A_TROUGH, NO_DOSE = "no_level", "not_a_trough", "no_dose"
REPEAT_AT_STEADY_STATE, KEEP_DOSE, SAME_DOSE, NEW_DOSE = "repeat_at_steady_state", "keep_dose", "same_dose", "new_dose"
# Notes on a new dose (Suggestion.values["notes"]).
STILL_RISING, LOWEST_STEP = "still_rising", "lowest_step"


@dataclass(frozen=True)
class Arithmetic:
    """current × target / level = raw → rounded (mg/day): the numbers of a suggestion, shown as numbers."""

    current: Decimal
    target: Decimal
    level: Decimal
    raw: Decimal  # to 0.01
    rounded: Decimal

    def __str__(self) -> str:
        from .messages import arithmetic_text  # the unit's words need Django's translations; the rules do not

        return str(arithmetic_text(self))


@dataclass(frozen=True)
class Suggestion:
    """What the protocol suggests after a level: a code (`kind`) and its values, put into words by
    dosing.messages. A new dose (NEW_DOSE) has `mg_per_day`; NEW_DOSE and SAME_DOSE have their `arithmetic`.

    `awaits_decision` is False when no physician decision can be made on the level (a level before steady state
    that is not high: it is repeated instead, see `steady`)."""

    kind: str
    values: dict = field(default_factory=dict)
    mg_per_day: Decimal | None = None
    arithmetic: Arithmetic | None = None
    awaits_decision: bool = True
    steady: SteadyState | None = None

    @property
    def before_steady_state(self) -> bool:
        return self.steady is not None and not self.steady.reached

    @property
    def note(self) -> str:
        """Why there is no dose, or what to know about the one suggested, in the reader's language."""
        from .messages import suggestion_note  # words need Django's translations; the rules do not

        return str(suggestion_note(self))


def round_to_step(value: Decimal, step: Decimal) -> Decimal:
    """Round half-up to the step: 1.25 → 1.5, 1.24 → 1.0 (with a 0.5 step)."""
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def suggest_dose(*, ng_ml: Decimal | None, current: Change | None, sample_date: date,
                 hours_since_dose: Decimal | None = None, protocol: DosingProtocol = PROTOCOL) -> Suggestion:
    """The dose the protocol suggests after a level (SPEC §4), with its arithmetic.

    [decision] A sample drawn outside the trough window gets no suggestion: the formula scales a trough.
    """
    if ng_ml is None or ng_ml <= 0:
        return Suggestion(NO_LEVEL)
    if trough_timing_warning(hours_since_dose, protocol) is not None:
        return Suggestion(NOT_A_TROUGH)
    if current is None or current.mg_per_day == 0:
        return Suggestion(NO_DOSE)
    steady = steady_state(current=current, sample_date=sample_date, protocol=protocol)
    level = classify_trough(ng_ml, protocol)
    if not steady.reached and level != HIGH:
        return Suggestion(REPEAT_AT_STEADY_STATE, {"days": steady.days, "needed": protocol.steady_state_days,
                                                   "repeat_from": steady.repeat_from, "repeat_by": steady.repeat_by},
                          awaits_decision=False, steady=steady)
    if level == IN_RANGE:
        return Suggestion(KEEP_DOSE, awaits_decision=False, steady=steady)
    target = protocol.target_for_suggestion
    raw = current.mg_per_day * target / ng_ml
    rounded = round_to_step(raw, protocol.dose_step)
    notes = []
    if not steady.reached:
        notes.append(STILL_RISING)
    if rounded < protocol.dose_step:
        rounded = protocol.dose_step
        notes.append(LOWEST_STEP)
    arithmetic = Arithmetic(current.mg_per_day, target, ng_ml, raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                            rounded)
    if rounded == current.mg_per_day:
        return Suggestion(SAME_DOSE, arithmetic=arithmetic, steady=steady)
    return Suggestion(NEW_DOSE, {"notes": notes, "days": steady.days}, mg_per_day=rounded, arithmetic=arithmetic,
                      steady=steady)


# --- what is due ----------------------------------------------------------------------------------------------

# Why a trough is due (DueCheck.kind): a protocol check (its TroughCheck label: week_1, month_1), or:
AFTER_CHANGE, SIDE_EFFECT, REPEAT = "after_change", "side_effect", "repeat"


@dataclass(frozen=True)
class DueCheck:
    kind: str
    due_from: date
    due_by: date
    params: dict = field(default_factory=dict, compare=False)  # dates ISO, days: what dosing.messages words

    def overdue(self, today: date) -> bool:
        return today > self.due_by

    @property
    def reason(self) -> str:
        """Why, in the reader's language ("week 1", "7-14 days after the dose change of 2026-03-02")."""
        from .messages import due_text  # words need Django's translations; the rules do not

        return str(due_text(self.kind, self.params))


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
        candidates.append((DueCheck(AFTER_CHANGE, change.start_date + timedelta(days=protocol.after_change_from_day),
                                    change.start_date + timedelta(days=protocol.after_change_to_day),
                                    {"from_day": protocol.after_change_from_day, "to_day": protocol.after_change_to_day,
                                     "changed_on": change.start_date.isoformat()}), lapses))
    return candidates


def _side_effect_checks(side_effects: Sequence[date], protocol: DosingProtocol) -> list[tuple[DueCheck, None]]:
    return [(DueCheck(SIDE_EFFECT, onset, onset + timedelta(days=protocol.side_effect_check_days),
                      {"onset": onset.isoformat()}), None)
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
            REPEAT, steady.repeat_from, steady.repeat_by,
            {"from_day": protocol.after_change_from_day, "to_day": protocol.after_change_to_day,
             "dose_from": current.start_date.isoformat(), "sampled": sample.sample_date.isoformat()}), lapses)
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
    kind: str  # "off_study", "stopped", "pending", "continue", "taper", "not_evaluable"
    params: dict = field(default_factory=dict)  # dates, months, the response status: what dosing.messages words

    @property
    def text(self) -> str:
        from .messages import course_text  # words need Django's translations; the rules do not

        return str(course_text(self))


def course_flag(*, day0: date, today: date, current_status: str | None, stopped_on: date | None,
                protocol: DosingProtocol = PROTOCOL, off_study_on: date | None = None) -> CourseFlag:
    """The month-3 decision (SPEC §2). [decision] A responder is a patient whose current status is R or CR.
    Off study, no course decision is pending: only the stop of sirolimus, if not recorded yet."""
    decision_day = day0 + timedelta(days=protocol.course_decision_day)
    if off_study_on is not None and (stopped_on is None or stopped_on > today):
        return CourseFlag("off_study", {"off_study_on": off_study_on,
                                        "follow_up_days": PROTOCOL_SCHEDULE.safety_follow_up_days})
    if stopped_on is not None and stopped_on <= today:
        return CourseFlag("stopped", {"stopped_on": stopped_on, "until": follow_up_end(stopped_on, protocol)})
    if today < decision_day:
        return CourseFlag("pending", {"decision_day": decision_day})
    if current_status in RESPONDING:
        months = protocol.responders_continue_months
        until = day0 + timedelta(days=round(months * 30.4375))
        return CourseFlag("continue", {"status": current_status, "months": months, "until": until})
    if current_status in (None, "", "NE"):
        return CourseFlag("not_evaluable")
    return CourseFlag("taper", {"status": current_status})


def follow_up_end(stopped_on: date, protocol: DosingProtocol = PROTOCOL) -> date:
    """Safety follow-up continues this long after the stop (SPEC §2: 1 month = 28 days, declared once in the
    visit schedule)."""
    return PROTOCOL_SCHEDULE.follow_up_end(stopped_on)


# --- concomitant medications ----------------------------------------------------------------------------------
# The interacting drugs and their names (generic, brand, Chinese) are a vocabulary of their own: dosing.drugs.
