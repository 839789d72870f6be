"""Safety labs every 14 days (±3) from day 0 while on sirolimus and for 1 month after stopping."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from safety.protocol import SAFETY_PROTOCOL
from safety.schedule import LabStatus, lab_slots, lab_status
from safety.selectors import safety_panel
from safety.tests.builders import alt, lab
from tests.factories import enrol
from visits.schedule import PROTOCOL_SCHEDULE

DAY0 = date(2026, 3, 2)


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


@pytest.mark.parametrize("today, status, due", [
    (10, "upcoming", None), (11, "due", 14), (14, "due", 14), (17, "due", 14), (18, "overdue", 14),
    (24, "overdue", 14), (25, "due", 28),
])
def test_window_edges_without_a_sample_since_day_0(today, status, due):
    result = lab_status(day0=DAY0, stop=None, last_sample=DAY0, today=day(today))
    assert result.status == status
    assert result.due_date == (day(due) if due is not None else None)


@pytest.mark.parametrize("sample, today, status", [
    (11, 14, "done"), (17, 17, "done"), (10, 14, "due"), (18, 18, "upcoming"), (18, 20, "upcoming"),
])
def test_a_sample_in_the_window_or_late_clears_it(sample, today, status):
    assert lab_status(day0=DAY0, stop=None, last_sample=day(sample), today=day(today)).status == status


def test_baseline_slot_is_due_around_day_0_and_overdue_after():
    assert lab_status(day0=DAY0, stop=None, last_sample=None, today=day(-3)).status == "due"
    assert lab_status(day0=DAY0, stop=None, last_sample=None, today=day(-4)).status == "upcoming"
    assert lab_status(day0=DAY0, stop=None, last_sample=None, today=day(4)).status == "overdue"


def test_labs_continue_28_days_after_stopping_then_end():
    # SPEC §2: "1 month after stopping" is 28 days everywhere. Before: a calendar month (stop on day 40 planned
    # a last slot on day 70, two days after the 28-day follow-up the dosing panel showed).
    stop = day(40)  # follow-up until day 68: the day-70 slot is not planned
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(56), today=day(59)).status == "done"
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(56), today=day(67)).status == "ended"
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(42), today=day(60)).status == "overdue"  # day 56 missed
    stop = day(42)  # follow-up until day 70: the day-70 slot is the last one
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(56), today=day(67)).status == "due"
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(56), today=day(67)).due_date == day(70)
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(70), today=day(73)).status == "done"
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(70), today=day(74)).status == "ended"
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(70), today=day(81)).status == "ended"  # no day-84 slot
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(56), today=day(74)).status == "overdue"  # final missed


@pytest.mark.parametrize("stop_day", [30, 31, 40, 41, 42, 59, 60, 61])
def test_the_dosing_follow_up_and_the_lab_schedule_end_on_the_same_day(stop_day):
    """One declaration (visits.schedule): the last planned lab slot is never after the dosing panel's
    follow-up end, and the slot on or just before it is planned."""
    from dosing.tdm import follow_up_end
    from visits.schedule import PROTOCOL_SCHEDULE

    stop = day(stop_day)
    end = follow_up_end(stop)
    assert end == stop + timedelta(days=28) == PROTOCOL_SCHEDULE.follow_up_end(stop)
    last_slot = max(k * 14 for k in range(20) if day(k * 14) <= end)
    far = day(last_slot) + timedelta(days=10)  # well after the last slot's window
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(last_slot), today=far).status == "ended"
    assert lab_status(day0=DAY0, stop=stop, last_sample=day(last_slot) - timedelta(days=14),
                      today=day(last_slot)).status == "due"


def rules_read_directly(*, day0: date, stop: date | None, last_sample: date | None, today: date) -> LabStatus:
    """The module docstring's rules read one sample at a time: the reference lab_slots is held to."""
    protocol, schedule = SAFETY_PROTOCOL, PROTOCOL_SCHEDULE
    step, window = protocol.lab_interval_days, protocol.lab_window_days
    end = schedule.follow_up_end(stop) if stop else None

    def target(k: int) -> date:
        return day0 + timedelta(days=step * k)

    def planned(k: int) -> bool:
        return k >= 0 and (end is None or target(k) <= end)

    def next_after(k: int) -> date | None:
        return target(k + 1) if planned(k + 1) else None

    offset = (today - day0).days
    k = max(round(offset / step), 0)
    if planned(k) and abs((today - target(k)).days) <= window:
        opened = target(k) - timedelta(days=window)
        if last_sample is not None and last_sample >= opened:
            return LabStatus("done", None, next_after(k))
        return LabStatus("due", target(k), target(k))
    upcoming = next((target(j) for j in (k, k + 1) if planned(j) and target(j) > today), None)
    last_planned = k if end is None else min(k, (end - day0).days // step)
    closed = next((j for j in (last_planned, last_planned - 1)
                   if planned(j) and target(j) + timedelta(days=window) < today), None)
    if closed is not None:
        opened = target(closed) - timedelta(days=window)
        if last_sample is None or last_sample < opened:
            return LabStatus("overdue", target(closed), upcoming)
    if upcoming is None:
        return LabStatus("ended", None, None)
    return LabStatus("upcoming", None, upcoming)


@pytest.mark.parametrize("stop_day", [None, -5, 0, 1, 13, 14, 30, 40, 41, 42, 59, 60, 61, 100, 200])
def test_lab_slots_agree_with_the_rules_read_directly_day_by_day(stop_day):
    """lab_slots (behind lab_status, and the reminder scan's: once per patient, then per panel) gives the direct
    reading's answer for every day from before day 0 to well after the stop, and every last sample from none, or
    40 days back, to today."""
    stop = None if stop_day is None else day(stop_day)
    for today in range(-10, 250):
        slots = lab_slots(day0=DAY0, stop=stop, today=day(today))
        for sample in [None, *range(max(-12, today - 40), today + 1)]:
            last = None if sample is None else day(sample)
            expected = rules_read_directly(day0=DAY0, stop=stop, last_sample=last, today=day(today))
            assert slots.status(last) == expected, (today, sample)


@pytest.mark.django_db
@pytest.mark.parametrize("offset, status", [(11, "due"), (14, "due"), (17, "due"), (18, "overdue")])
def test_patient_panel_shows_next_due_and_overdue_at_the_edges(nurse, offset, status):
    patient = enrol(nurse, start=DAY0)
    lab(patient, nurse, on=DAY0, values=[alt(20)])
    with time_machine.travel(day(offset), tick=False):
        panel = safety_panel(patient=patient, today=timezone.localdate())
    liver = next(row for row in panel["panels"] if row.panel == "liver")
    assert liver.status.status == status
    assert [row.label for row in panel["overdue"]] == (["Lipids", "Liver", "Kidney"] if status == "overdue" else [])
    if status == "due":
        assert panel["next_due"] == day(14)
    lipids = next(row for row in panel["panels"] if row.panel == "lipids")
    assert lipids.last_sample is None  # only the liver panel was drawn at baseline
