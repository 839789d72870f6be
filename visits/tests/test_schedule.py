from datetime import date

import pytest

from itp_trial.checks import schedule_check
from visits import schedule as schedule_module
from visits.schedule import (
    BASELINE,
    PROTOCOL_SCHEDULE,
    Schedule,
    SlotStatus,
    VisitDef,
    slot_status,
    window_deviation,
)

DAY0 = date(2026, 3, 2)


def test_protocol_schedule_matches_spec():
    rows = [(v.code, v.day, v.window_before, v.window_after) for v in PROTOCOL_SCHEDULE.visits]
    assert rows == [
        ("baseline", 0, 7, 0), ("week1", 7, 2, 2), ("week2", 14, 2, 2), ("week3", 21, 2, 2),
        ("month1", 28, 3, 3), ("month2", 56, 7, 7), ("month3", 84, 7, 7),
        # SPEC §2 [decision]: follow-up visits while on sirolimus (before schedule 1.1: unscheduled visits)
        ("month4", 112, 7, 7), ("month5", 140, 7, 7), ("month6", 168, 14, 14), ("month7", 196, 14, 14),
        ("month8", 224, 14, 14), ("month9", 252, 14, 14), ("month10", 280, 14, 14), ("month11", 308, 14, 14),
        ("month12", 336, 14, 14),
    ]
    assert [v.code for v in PROTOCOL_SCHEDULE.visits if v.follow_up] == [
        "month4", "month5", "month7", "month8", "month9", "month10", "month11", "month12"]
    assert PROTOCOL_SCHEDULE.problems() == []
    assert [v.code for v in PROTOCOL_SCHEDULE.timepoints][0] == "week1"


@pytest.mark.parametrize(
    "visits, problem",
    [
        ((VisitDef("week1", "W1", 7, 2, 2),), "the first visit must be 'baseline'"),
        ((VisitDef(BASELINE, "B", 0, 7, 0), VisitDef("week1", "W1", 7, 2, 2), VisitDef("week1", "W1", 14, 2, 2)),
         "visit codes are not unique"),
        ((VisitDef(BASELINE, "B", 0, 7, 0), VisitDef("week2", "W2", 14, 2, 2), VisitDef("week1", "W1", 7, 2, 2)),
         "visit days must strictly increase"),
        ((VisitDef(BASELINE, "B", 0, 7, 0), VisitDef("week1", "W1", 7, 2, 5), VisitDef("week2", "W2", 14, 3, 2)),
         "windows of week1 and week2 overlap"),
        ((VisitDef(BASELINE, "B", 0, 7, 0), VisitDef("unscheduled", "U", 7, 2, 2)),
         "'unscheduled' is reserved for unscheduled visits"),
    ],
    ids=["no-baseline", "duplicate-code", "days-not-increasing", "overlapping-windows", "reserved-code"],
)
def test_broken_schedules_are_reported(visits, problem):
    assert problem in Schedule("x", visits).problems()


def test_system_check_stops_a_broken_schedule(monkeypatch):
    assert schedule_check(None) == []
    broken = Schedule("x", (VisitDef("week1", "W1", 7, 2, 2),))
    monkeypatch.setattr("itp_trial.checks.PROTOCOL_SCHEDULE", broken)
    errors = schedule_check(None)
    assert [e.id for e in errors] == ["itp_trial.E001"]
    assert schedule_module.PROTOCOL_SCHEDULE.problems() == []


WEEK1 = PROTOCOL_SCHEDULE.get("week1")  # target 2026-03-09, window 03-07 .. 03-11


@pytest.mark.parametrize(
    "today, done, expected",
    [
        (date(2026, 3, 6), False, SlotStatus.UPCOMING),   # day before the window opens
        (date(2026, 3, 7), False, SlotStatus.DUE),        # window opens
        (date(2026, 3, 9), False, SlotStatus.DUE),        # target day
        (date(2026, 3, 10), False, SlotStatus.OVERDUE),   # after target, window open
        (date(2026, 3, 11), False, SlotStatus.OVERDUE),   # last day of the window
        (date(2026, 3, 12), False, SlotStatus.MISSED),    # window closed
        (date(2026, 3, 12), True, SlotStatus.DONE),
        (date(2026, 3, 1), True, SlotStatus.DONE),
    ],
    ids=["before-window", "window-opens", "target", "after-target", "window-last-day", "window-closed",
         "done-late", "done"],
)
def test_slot_status_at_window_edges(today, done, expected):
    status = slot_status(target=WEEK1.target(DAY0), earliest=WEEK1.earliest(DAY0), latest=WEEK1.latest(DAY0),
                         done=done, today=today)
    assert status == expected


@pytest.mark.parametrize(
    "visit_date, deviation",
    [(date(2026, 3, 6), -1), (date(2026, 3, 7), 0), (date(2026, 3, 11), 0), (date(2026, 3, 12), 1),
     (date(2026, 3, 20), 9)],
    ids=["one-early", "first-day", "last-day", "one-late", "nine-late"],
)
def test_window_deviation(visit_date, deviation):
    assert window_deviation(visit_date=visit_date, earliest=WEEK1.earliest(DAY0),
                            latest=WEEK1.latest(DAY0)) == deviation


def test_windows_may_share_their_edge_day_but_not_more():
    touching = (VisitDef(BASELINE, "B", 0, 7, 0), VisitDef("month6", "M6", 168, 14, 14),
                VisitDef("month7", "M7", 196, 14, 14))  # both windows hold day 182
    assert Schedule("x", touching).problems() == []


M4 = PROTOCOL_SCHEDULE.get("month4")  # day 112, window days 105 .. 119


def m4(today_day: int, *, stopped: int | None = None, off: int | None = None, done: bool = False) -> SlotStatus:
    at = DAY0.toordinal()
    return slot_status(target=M4.target(DAY0), earliest=M4.earliest(DAY0), latest=M4.latest(DAY0), done=done,
                       today=date.fromordinal(at + today_day), follow_up=True,
                       stopped_on=None if stopped is None else date.fromordinal(at + stopped),
                       off_study_on=None if off is None else date.fromordinal(at + off))


@pytest.mark.parametrize("today, stopped, off, done, expected", [
    (104, None, None, False, SlotStatus.UPCOMING),
    (105, None, None, False, SlotStatus.DUE),
    (113, None, None, False, SlotStatus.OVERDUE),
    (120, None, None, False, SlotStatus.MISSED),
    (100, 90, None, False, SlotStatus.NOT_PLANNED),  # stopped after month 3: no month 4
    (110, 105, None, False, SlotStatus.NOT_PLANNED),  # stopped the day the window opens
    (110, 106, None, False, SlotStatus.DUE),  # still on drug when the window opened
    (100, None, 95, False, SlotStatus.OFF_STUDY),  # off study: not done (off study)
    (130, None, 119, False, SlotStatus.OFF_STUDY),  # window still open on the off-study day
    (130, None, 120, False, SlotStatus.MISSED),  # window closed before going off study
    (130, 90, 95, True, SlotStatus.DONE),  # a recorded visit stays done
])
def test_follow_up_slot_status(today, stopped, off, done, expected):
    assert m4(today, stopped=stopped, off=off, done=done) == expected
    assert expected.open is (expected in (SlotStatus.UPCOMING, SlotStatus.DUE, SlotStatus.OVERDUE))


def test_a_core_visit_is_kept_after_a_stop_but_not_after_off_study():
    month6 = PROTOCOL_SCHEDULE.get("month6")
    args = dict(target=month6.target(DAY0), earliest=month6.earliest(DAY0), latest=month6.latest(DAY0), done=False,
                today=month6.target(DAY0), stopped_on=DAY0)
    assert slot_status(**args) == SlotStatus.DUE
    assert slot_status(**args, off_study_on=DAY0) == SlotStatus.OFF_STUDY
