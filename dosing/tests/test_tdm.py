"""Table tests of the pure dosing rules (dosing.tdm): every edge the protocol draws."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from dosing.drugs import interacting_drug
from dosing.protocol import DosingProtocol
from dosing.tdm import (
    LOWEST_STEP,
    NEW_DOSE,
    Arithmetic,
    Change,
    Sample,
    change_in_force,
    classify_trough,
    course_flag,
    dose_for_sample,
    dose_range_warning,
    due_checks,
    follow_up_end,
    next_check,
    phase_problem,
    regimen_problem,
    round_to_step,
    stop_date,
    suggest_dose,
    too_soon_after_change,
    trough_timing_warning,
)
from dosing.tdm import age_group as group_of

DAY0 = date(2026, 3, 2)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


@pytest.mark.parametrize("ng_ml, level", [
    ("4.9", "low"), ("5", "in range"), ("5.0", "in range"), ("10", "in range"), ("15", "in range"),
    ("15.0", "in range"), ("15.1", "high"), ("0", "low"), ("27.7", "high"),
])
def test_trough_classification_edges(ng_ml, level):
    assert classify_trough(D(ng_ml)) == level


@pytest.mark.parametrize("birth, on, group", [
    (date(2008, 6, 1), date(2026, 5, 31), "child"),  # the day before the 18th birthday
    (date(2008, 6, 1), date(2026, 6, 1), "adult"),  # the 18th birthday
    (date(2008, 2, 29), date(2026, 2, 28), "child"),  # born on 29 February: adult from 1 March
    (date(2008, 2, 29), date(2026, 3, 1), "adult"),
    (date(1970, 1, 1), date(2026, 1, 1), "adult"),
])
def test_child_until_the_18th_birthday(birth, on, group):
    assert group_of(birth_date=birth, on=on) == group


@pytest.mark.parametrize("mg, phase, group, outside", [
    ("2", "start", "adult", False), ("4", "start", "adult", False), ("1.5", "start", "adult", True),
    ("4.5", "start", "adult", True), ("1", "maintenance", "adult", False), ("2", "maintenance", "adult", False),
    ("0.5", "maintenance", "adult", True), ("2.5", "maintenance", "adult", True),
    ("1", "start", "child", False), ("2", "start", "child", False), ("2.5", "start", "child", True),
    ("0.5", "maintenance", "child", False), ("1", "maintenance", "child", False), ("1.5", "maintenance", "child", True),
    ("0.25", "maintenance", "child", True),
    ("1", "adjustment", "adult", False), ("0.5", "adjustment", "adult", True), ("4", "adjustment", "adult", False),
    ("0.5", "adjustment", "child", False), ("0.25", "adjustment", "child", True),
    ("0.5", "taper", "adult", False), ("4.5", "taper", "adult", True),
    ("0", "stop", "adult", False),
])
def test_dose_range_by_group_and_phase(mg, phase, group, outside):
    warning = dose_range_warning(mg_per_day=D(mg), phase=phase, group=group)
    assert (warning is not None) is outside
    if outside:
        assert (warning.code, warning.params["group"], warning.params["phase"]) == ("dose.out_of_range", group, phase)
        assert f"outside the {group} {phase} range" in str(warning)


def test_the_same_dose_is_in_range_for_an_adult_and_not_for_a_child_at_the_birthday():
    birth = date(2008, 6, 1)
    before = group_of(birth_date=birth, on=date(2026, 5, 31))
    after = group_of(birth_date=birth, on=date(2026, 6, 1))
    assert dose_range_warning(mg_per_day=D(3), phase="start", group=before) is not None
    assert dose_range_warning(mg_per_day=D(3), phase="start", group=after) is None


@pytest.mark.parametrize("mg, phase, problem", [
    ("0", "stop", False), ("1", "stop", True), ("0", "taper", True), ("0", "start", True), ("0.5", "taper", False),
])
def test_stop_is_zero_and_zero_is_a_stop(mg, phase, problem):
    assert (phase_problem(mg_per_day=D(mg), phase=phase) is not None) is problem


@pytest.mark.parametrize("dates, problem", [
    ([], None),
    ([DAY0], None),
    ([DAY0, day(10), day(20)], None),
    ([day(20), DAY0, day(10)], None),  # any order: the sequence is what counts
    ([day(1)], "Gap"),  # first dose after day 0
    ([day(-1), DAY0], "Overlap"),  # a dose before day 0
    ([DAY0, day(10), day(10)], "Overlap"),  # two changes on the same date
])
def test_regimen_gaps_and_overlaps(dates, problem):
    found = regimen_problem(day0=DAY0, dates=dates)
    assert (found is None) if problem is None else str(found).startswith(problem)


def test_dose_in_force_and_stop_date():
    changes = [Change(day(10), D(1)), Change(DAY0, D(2)), Change(day(30), D(0))]
    assert change_in_force(changes, day(-1)) is None
    assert change_in_force(changes, DAY0).mg_per_day == 2
    assert change_in_force(changes, day(9)).mg_per_day == 2
    assert change_in_force(changes, day(10)).mg_per_day == 1
    assert change_in_force(changes, day(40)).mg_per_day == 0
    assert stop_date(changes) == day(30)
    assert stop_date([*changes, Change(day(40), D(2))]) is None  # restarted
    assert stop_date([]) is None


@pytest.mark.parametrize("value, rounded", [
    ("1.03", "1.0"), ("1.24", "1.0"), ("1.25", "1.5"), ("1.74", "1.5"), ("1.75", "2.0"), ("0.72", "0.5"),
    ("0.75", "1.0"), ("2.4390", "2.5"),
])
def test_rounding_to_half_mg_half_up(value, rounded):
    assert round_to_step(D(value), D("0.5")) == D(rounded)


def test_the_papers_19_5_on_2_mg_suggests_1_mg_with_the_arithmetic():
    s = suggest_dose(ng_ml=D("19.5"), current=Change(DAY0, D(2)), sample_date=day(7))
    assert s.mg_per_day == D("1.0")
    assert s.arithmetic == Arithmetic(D(2), D(10), D("19.5"), D("1.03"), D("1.0"))
    assert str(s.arithmetic) == "2 mg × 10 / 19.5 = 1.03 → 1.0 mg/day"


def test_the_papers_27_7_on_2_mg_suggests_the_lowest_step():
    s = suggest_dose(ng_ml=D("27.7"), current=Change(DAY0, D(2)), sample_date=day(7))
    assert s.mg_per_day == D("0.5")
    assert (s.kind, s.values["notes"]) == (NEW_DOSE, [])
    assert str(s.arithmetic) == "2 mg × 10 / 27.7 = 0.72 → 0.5 mg/day"


def test_a_dose_below_the_lowest_step_is_raised_to_it():
    s = suggest_dose(ng_ml=D("50"), current=Change(DAY0, D(1)), sample_date=day(20))
    assert (s.kind, s.mg_per_day, s.values["notes"]) == (NEW_DOSE, D("0.5"), [LOWEST_STEP])
    assert s.note == "the lowest step"


def test_a_low_level_suggests_a_higher_dose():
    s = suggest_dose(ng_ml=D("4.1"), current=Change(DAY0, D(1)), sample_date=day(28))
    assert (s.mg_per_day, str(s.arithmetic)) == (D("2.5"), "1 mg × 10 / 4.1 = 2.44 → 2.5 mg/day")


@pytest.mark.parametrize("days_before, ng_ml, suggested, awaits, repeat", [
    # SPEC §4 [decision]: before steady state (< 7 days on the dose) a high level still suggests a reduction
    # (the level will only rise); a low or in-range one awaits no decision and is repeated 7–14 days after.
    (6, "19.5", True, True, False), (0, "19.5", True, True, False), (7, "19.5", True, True, False),
    (14, "19.5", True, True, False),
    (6, "4.1", False, False, True), (5, "10", False, False, True), (7, "4.1", True, True, False),
    (7, "10", False, False, False),
])
def test_levels_before_steady_state(days_before, ng_ml, suggested, awaits, repeat):
    sample = day(40)
    current = Change(sample - timedelta(days=days_before), D(2))
    assert too_soon_after_change(changed_on=current.start_date, sample_date=sample) is (days_before < 7)
    s = suggest_dose(ng_ml=D(ng_ml), current=current, sample_date=sample)
    assert (s.mg_per_day is not None, s.awaits_decision, s.before_steady_state and not s.awaits_decision) == (
        suggested, awaits, repeat)
    assert s.before_steady_state is (days_before < 7)
    if repeat:
        assert s.note == (f"Before steady state ({days_before} days on this dose, 7 needed): no decision now; "
                          f"repeat the level from {current.start_date + timedelta(days=7)} to "
                          f"{current.start_date + timedelta(days=14)}.")
    if suggested and days_before < 7:
        assert "before steady state" in s.note and "will still rise" in s.note


def test_a_compliant_week_1_level_on_day_5_is_repeated_not_left_awaiting():
    # The issue: the week-1 window is days 5-9, steady state needs 7 days and the start dose counts as a change.
    start = [Change(DAY0, D(2))]
    low = suggest_dose(ng_ml=D("4.1"), current=start[0], sample_date=day(5))
    assert (low.mg_per_day, low.awaits_decision) == (None, False)
    samples = [Sample(day(5), D("4.1"), D(24))]
    assert due_checks(day0=DAY0, changes=start, trough_dates=samples, today=day(6)) == []
    assert next_check(day0=DAY0, changes=start, today=day(6), trough_dates=samples).due_from == day(7)
    (repeat,) = due_checks(day0=DAY0, changes=start, trough_dates=samples, today=day(7))
    assert (repeat.due_from, repeat.due_by) == (day(7), day(14))
    assert repeat.reason.startswith("repeat at steady state (7-14 days after the dose of 2026-03-02")
    assert due_checks(day0=DAY0, changes=start, trough_dates=[*samples, Sample(day(9), D("6"))], today=day(10)) == []
    # a high day-5 level is decided on (a reduction is suggested) and asks for no repeat
    high = [Sample(day(5), D("19.5"), D(24))]
    assert suggest_dose(ng_ml=D("19.5"), current=start[0], sample_date=day(5)).mg_per_day == D("1.0")
    assert due_checks(day0=DAY0, changes=start, trough_dates=high, today=day(8)) == []


@pytest.mark.parametrize("ng_ml, current, note", [
    ("0", Change(DAY0, D(2)), "level of 0"),
    (None, Change(DAY0, D(2)), "level of 0"),
    ("19.5", None, "no sirolimus dose in force"),
    ("19.5", Change(DAY0, D(0)), "no sirolimus dose in force"),
    ("10", Change(DAY0, D(2)), "In target range"),
    ("5", Change(DAY0, D(2)), "In target range"),
    ("15", Change(DAY0, D(2)), "In target range"),
])
def test_no_suggestion_without_a_usable_level_or_dose(ng_ml, current, note):
    s = suggest_dose(ng_ml=None if ng_ml is None else D(ng_ml), current=current, sample_date=day(20))
    assert s.mg_per_day is None and note in s.note


def test_a_suggestion_equal_to_the_dose_is_no_change():
    s = suggest_dose(ng_ml=D("15.1"), current=Change(DAY0, D("0.5")), sample_date=day(20))
    assert s.mg_per_day is None and "no change" in s.note and s.arithmetic


def test_the_target_is_protocol_data():
    protocol = DosingProtocol(target_for_suggestion=D(8))
    s = suggest_dose(ng_ml=D(16), current=Change(DAY0, D(2)), sample_date=day(20), protocol=protocol)
    assert s.mg_per_day == D("1.0")


@pytest.mark.parametrize("hours, flagged", [
    (None, False), ("19.9", True), ("20", False), ("24", False), ("28", False), ("28.5", True), ("2", True),
])
def test_trough_timing_window(hours, flagged):
    assert (trough_timing_warning(None if hours is None else D(hours)) is not None) is flagged


@pytest.mark.parametrize("name, drug", [
    ("Voriconazole", "voriconazole"), ("rifampicin 600 mg", "rifampin"), ("Ciclosporin", "cyclosporine"),
    ("clarithromycin", "clarithromycin"), ("Prednisone", None), ("azithromycin", None), ("", None),
])
def test_interacting_drugs(name, drug):
    assert interacting_drug(name) == drug


@pytest.mark.parametrize("today, status, stopped, kind", [
    (day(83), "NR", None, "pending"),
    (day(84), "NR", None, "taper"),
    (day(84), "R", None, "continue"),
    (day(100), "CR", None, "continue"),
    (day(84), "NE", None, "not_evaluable"),
    (day(84), None, None, "not_evaluable"),
    (day(100), "NR", day(95), "stopped"),
])
def test_course_flag_at_month_3(today, status, stopped, kind):
    assert course_flag(day0=DAY0, today=today, current_status=status, stopped_on=stopped).kind == kind


def test_follow_up_is_28_days_after_the_stop():
    assert follow_up_end(day(95)) == day(123)
    assert "until 2026-07-03" in course_flag(day0=DAY0, today=day(100), current_status="NR",
                                             stopped_on=day(95)).text


@pytest.mark.parametrize("today, reasons", [
    (day(4), []),
    (day(5), ["week 1"]),
    (day(24), ["week 1"]),
    (day(25), ["month 1"]),
    (day(100), ["month 1"]),
])
def test_due_checks_without_levels(today, reasons):
    assert [c.reason for c in due_checks(day0=DAY0, changes=[Change(DAY0, D(2))], trough_dates=[],
                                         today=today)] == reasons


def test_due_check_after_a_change_and_its_overdue_edge():
    changes = [Change(DAY0, D(2)), Change(day(40), D(1))]
    troughs = [day(7), day(28)]
    assert due_checks(day0=DAY0, changes=changes, trough_dates=troughs, today=day(46)) == []
    (check,) = due_checks(day0=DAY0, changes=changes, trough_dates=troughs, today=day(54))
    assert (check.due_from, check.due_by, check.overdue(day(54)), check.overdue(day(55))) == (
        day(47), day(54), False, True)
    assert due_checks(day0=DAY0, changes=changes, trough_dates=[*troughs, day(47)], today=day(54)) == []
    # a later change replaces the check of the earlier one
    later = [*changes, Change(day(50), D("1.5"))]
    assert [c.reason for c in due_checks(day0=DAY0, changes=later, trough_dates=troughs, today=day(57))] == [
        "7-14 days after the dose change of 2026-04-21"]


def test_next_check_looks_ahead_and_stops_with_the_drug():
    changes = [Change(DAY0, D(2))]
    assert next_check(day0=DAY0, changes=changes, today=day(3)).reason == "week 1"
    assert next_check(day0=DAY0, changes=changes, today=day(5)).reason == "month 1"
    assert next_check(day0=DAY0, changes=changes, today=day(30)) is None
    later = [*changes, Change(day(40), D(1))]
    assert next_check(day0=DAY0, changes=later, today=day(40)).due_from == day(47)
    assert next_check(day0=DAY0, changes=[*later, Change(day(42), D(0))], today=day(41)) is None


def test_a_level_reflects_the_dose_of_the_day_before():
    changes = [Change(DAY0, D(2)), Change(day(10), D(1))]
    assert dose_for_sample(changes, DAY0) is None  # drawn before the first dose
    assert dose_for_sample(changes, day(10)).mg_per_day == 2  # drawn the morning the dose changed
    assert dose_for_sample(changes, day(11)).mg_per_day == 1


@pytest.mark.parametrize("hours, suggested", [(None, True), ("24", True), ("20", True), ("19.5", False), ("30", False)])
def test_no_suggestion_from_a_sample_that_is_not_a_trough(hours, suggested):
    s = suggest_dose(ng_ml=D("19.5"), current=Change(DAY0, D(2)), sample_date=day(20),
                     hours_since_dose=None if hours is None else D(hours))
    assert (s.mg_per_day is not None) is suggested
    if not suggested:
        assert "not a trough" in s.note


@pytest.mark.parametrize(
    "troughs, today, expected",
    [
        ([], 39, []),                                   # the day before the side effect: nothing
        ([], 40, [("significant side effect of 2026-04-11", False)]),
        ([], 43, [("significant side effect of 2026-04-11", False)]),   # last day of its window
        ([], 44, [("significant side effect of 2026-04-11", True)]),    # overdue after 3 days
        ([40], 44, []),                                 # a level on the onset day answers it
        ([39], 41, [("significant side effect of 2026-04-11", False)]),  # a level before the onset does not
    ],
    ids=["day-before", "onset", "window-last-day", "overdue", "sampled-on-onset", "sampled-before-onset"],
)
def test_a_significant_side_effect_asks_for_a_trough(troughs, today, expected):
    # Month 1 (days 25-31) is answered by a level on day 28, so only the side-effect check is left.
    sampled = [day(28), *(day(t) for t in troughs)]
    checks = due_checks(day0=DAY0, changes=[Change(DAY0, D(2))], trough_dates=sampled, today=day(today),
                        side_effects=[day(40)])
    assert [(c.reason, c.overdue(day(today))) for c in checks] == expected
