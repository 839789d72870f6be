"""Safety labs every 14 days (±3) from day 0 while on sirolimus and for 1 month after stopping."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from safety.schedule import lab_slots, lab_status
from safety.selectors import safety_panel
from safety.tests.builders import alt, lab
from tests.factories import enrol

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


@pytest.mark.parametrize("stop_day", [None, -5, 0, 1, 13, 14, 30, 40, 41, 42, 59, 60, 61, 100, 200])
def test_the_scan_s_lab_slots_agree_with_lab_status_day_by_day(stop_day):
    """lab_slots (the reminder scan's: once per patient, then per panel) gives lab_status's answer for every
    day from before day 0 to well after the stop, and every last sample from none, or 40 days back, to today."""
    stop = None if stop_day is None else day(stop_day)
    for today in range(-10, 250):
        slots = lab_slots(day0=DAY0, stop=stop, today=day(today))
        for sample in [None, *range(max(-12, today - 40), today + 1)]:
            last = None if sample is None else day(sample)
            assert slots.status(last) == lab_status(day0=DAY0, stop=stop, last_sample=last, today=day(today)), (
                today, sample)


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
