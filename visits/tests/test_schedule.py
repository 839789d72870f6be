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
        ("month1", 28, 3, 3), ("month2", 56, 7, 7), ("month3", 84, 7, 7), ("month6", 168, 14, 14),
    ]
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
        ((VisitDef(BASELINE, "B", 0, 7, 0), VisitDef("week1", "W1", 7, 2, 4), VisitDef("week2", "W2", 14, 3, 2)),
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
