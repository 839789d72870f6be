"""The patient dashboard's chart words come from the page in the reader's language (json_script #chart-text):
whole sentences with named placeholders; the tables under the chart show numbers without spurious decimals."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from reports.chart_text import chart_text
from tests.factories import enrol, record

HAN = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.fixture(autouse=True)
def site_language_after():
    """A request in Chinese leaves its language active in this thread: give the next test the site's again."""
    yield
    translation.deactivate()


def test_every_sentence_keeps_its_placeholders_in_chinese():
    with translation.override("en"):
        english = chart_text()
    with translation.override("zh-hans"):
        chinese = chart_text()
    assert english.keys() == chinese.keys()
    for key, sentence in english.items():
        assert sorted(PLACEHOLDER.findall(sentence)) == sorted(PLACEHOLDER.findall(chinese[key])), key
        assert HAN.search(chinese[key]) and not HAN.search(sentence), key


@pytest.mark.django_db
@pytest.mark.parametrize("language, heading, axis", [
    ("en", "ITP-001 · dashboard", "Days since day 0 (first sirolimus dose)"),
    ("zh-hans", "ITP-001 · 概览", "距第 0 天（首次服用西罗莫司）的天数"),
])
def test_the_dashboard_passes_the_chart_words_in_the_readers_language(client, nurse, physician, language, heading,
                                                                      axis):
    patient = enrol(nurse, start=date(2025, 3, 3), baseline=12, today=date(2025, 4, 1))
    record(patient, nurse, "week1", day=7, platelets=31, today=date(2025, 4, 1))
    client.force_login(physician)
    page = client.get(reverse("reports:patient_dashboard", args=[patient.study_id]),
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    words = json.loads(re.search(r'<script id="chart-text" type="application/json">(.*?)</script>', page).group(1))
    assert words["days_axis"] == axis and heading in page
    table = page[page.index('data-testid="chart-table"'):]
    assert "<td>12</td>" in table and "<td>31</td>" in table and "12.0" not in table


@pytest.mark.parametrize("value, expected", [("27.70", "27.7"), ("12.0", "12"), ("100", "100"), ("0.50", "0.5"),
                                             ("1E+2", "100"), ("5.25", "5.25")])
def test_plain(value, expected):
    from decimal import Decimal

    from reports.dashboards import plain

    assert plain(Decimal(value)) == expected
