"""The study's clock: "today" is the date in the study's zone (Asia/Shanghai), not in UTC.

Frozen-clock table tests around midnight Beijing time (16:00 UTC the day before): the date of a new visit, the
reminder scan's date and its due/overdue edges, and the date of a stored timestamp.
"""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

from inbox.models import Reminder
from itp_trial.clock import study_date, study_now, study_today
from safety.tests.builders import alt, lab
from tests.factories import enrol
from visits.services import VisitValues, visit_record

START = date(2026, 3, 2)


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_the_study_zone_is_shanghai_by_default():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE


@pytest.mark.parametrize("moment, beijing, expected", [
    (utc(date(2026, 3, 9), 23, 30), "07:30", date(2026, 3, 10)),  # before 08:00 Beijing: UTC is still the day before
    (utc(date(2026, 3, 9), 15, 59), "23:59", date(2026, 3, 9)),
    (utc(date(2026, 3, 9), 16, 1), "00:01", date(2026, 3, 10)),
    (utc(date(2026, 3, 10), 0, 0), "08:00", date(2026, 3, 10)),
    (utc(date(2026, 12, 31), 16, 0), "00:00", date(2027, 1, 1)),  # the year turns in Beijing first
])
def test_study_today_is_the_date_in_beijing(moment, beijing, expected):
    with time_machine.travel(moment, tick=False):
        assert study_today() == expected
        assert study_now().strftime("%H:%M") == beijing
        assert study_now().utcoffset() == timedelta(hours=8)


def test_study_today_ignores_a_zone_activated_for_the_request():
    from django.utils import timezone

    with time_machine.travel(utc(date(2026, 3, 9), 23, 30), tick=False), timezone.override("UTC"):
        assert timezone.localdate() == date(2026, 3, 9)
        assert study_today() == date(2026, 3, 10)


@override_settings(TIME_ZONE="Europe/London")
def test_the_zone_comes_from_the_setting():
    with time_machine.travel(utc(date(2026, 3, 9), 23, 30), tick=False):
        assert study_today() == date(2026, 3, 9)


@pytest.mark.parametrize("moment, expected", [
    (utc(date(2026, 3, 9), 15, 59), date(2026, 3, 9)),
    (utc(date(2026, 3, 9), 16, 1), date(2026, 3, 10)),
])
def test_study_date_of_a_stored_timestamp(moment, expected):
    assert study_date(moment) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("visit_day, accepted", [
    (date(2026, 3, 10), True),   # today in Beijing, entered at 07:30 (23:30 UTC on the 9th)
    (date(2026, 3, 9), True),
    (date(2026, 3, 11), False),  # tomorrow in Beijing: in the future
])
def test_a_visit_dated_today_entered_early_in_the_morning_is_accepted(nurse, visit_day, accepted):
    patient = enrol(nurse, start=START, baseline=10)
    values = VisitValues(visit_date=visit_day, platelets=Decimal(40), bleeding_grade=0)
    with time_machine.travel(utc(date(2026, 3, 9), 23, 30), tick=False):
        if accepted:
            assert visit_record(patient=patient, code="week1", user=nurse, values=values).visit_date == visit_day
        else:
            with pytest.raises(ValidationError) as refused:
                visit_record(patient=patient, code="week1", user=nurse, values=values)
            assert "visit_date" in refused.value.message_dict
            assert "2026-03-10" in " ".join(refused.value.message_dict["visit_date"])


def day(n: int) -> date:
    return START + timedelta(days=n)


@pytest.mark.django_db
@pytest.mark.parametrize("moment, as_of, expected", [
    # Safety labs are due from day 11 and overdue from day 18 (every 14 days ±3).
    (utc(day(10), 15, 59), day(10), None),                # 23:59 Beijing on day 10
    (utc(day(10), 16, 1), day(11), "lab_due"),            # 00:01 Beijing on day 11 (still day 10 in UTC)
    (utc(day(17), 15, 59), day(17), "lab_due"),           # 23:59 Beijing on day 17
    (utc(day(17), 16, 1), day(18), "lab_overdue"),        # 00:01 Beijing on day 18
])
def test_the_scan_runs_on_the_study_date(nurse, moment, as_of, expected):
    patient = enrol(nurse, start=START)
    lab(patient, nurse, on=START, values=[alt(20)])
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("scan_reminders", "--json", stdout=out)
    assert json.loads(out.getvalue())["as_of"] == as_of.isoformat()
    labs = sorted(Reminder.objects.filter(kind__startswith="lab", due_date=day(14)).values_list("kind", flat=True))
    assert labs == ([] if expected is None else [expected])


@pytest.mark.django_db
def test_the_beat_task_scans_on_the_study_date(nurse):
    from inbox.tasks import scan_reminders_task

    patient = enrol(nurse, start=START)
    lab(patient, nurse, on=START, values=[alt(20)])
    with time_machine.travel(utc(day(10), 16, 1), tick=False):  # 00:01 Beijing on day 11
        scan_reminders_task.apply().get()
    assert list(Reminder.objects.filter(kind__startswith="lab").values_list("kind", "due_date")) == [
        ("lab_due", day(14))]
