"""ISO dates in both languages, and stored UTC moments shown in the study's zone."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation


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
