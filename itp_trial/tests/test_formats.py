"""ISO dates in both languages, and stored UTC moments shown in the study's zone."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from itp_trial.clock import moment_text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_and_times_are_iso_in_every_language(language):
    moment = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 07:30 on 2 March in Beijing
    with translation.override(language):
        assert formats.date_format(date(2026, 3, 2)) == "2026-03-02"
        assert formats.date_format(date(2026, 3, 2), "SHORT_DATE_FORMAT") == "2026-03-02"
        page = Template("{{ d|date }} | {{ m|date:'DATETIME_FORMAT' }} | {{ m|date:'Y-m-d H:i' }} | {{ d }}").render(
            Context({"d": date(2026, 3, 2), "m": moment}))
    assert page == "2026-03-02 | 2026-03-02 07:30 | 2026-03-02 07:30 | 2026-03-02"


def test_a_zh_hans_date_input_is_iso():
    with translation.override("zh-hans"):
        assert formats.get_format("DATE_INPUT_FORMATS") == ["%Y-%m-%d"]
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


@pytest.mark.parametrize("zone, moment, expected", [
    ("Asia/Shanghai", datetime(2026, 3, 1, 23, 30, tzinfo=UTC), "2026-03-02 07:30 UTC+8"),
    ("Asia/Shanghai", datetime(2026, 3, 2, 16, 0, tzinfo=UTC), "2026-03-03 00:00 UTC+8"),
    ("UTC", datetime(2026, 3, 1, 23, 30, tzinfo=UTC), "2026-03-01 23:30 UTC"),
    ("Asia/Kolkata", datetime(2026, 3, 1, 23, 30, tzinfo=UTC), "2026-03-02 05:00 UTC+5:30"),
    ("America/New_York", datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "2026-07-01 08:00 UTC-4"),
    ("Asia/Shanghai", None, ""),
])
def test_a_stored_moment_is_shown_in_the_study_zone_with_its_offset(settings, zone, moment, expected):
    settings.TIME_ZONE = zone
    assert moment_text(moment) == expected
    assert Template("{% load moments %}{{ m|moment }}").render(Context({"m": moment})) == expected
