"""The study report in the reader's language: the page's tables and methods in 简体中文, the JSON document (a
machine interface) the same bytes in both languages, the figures drawn with Chinese axis titles."""

import json
import warnings
from datetime import date

import pytest
from django.utils import timezone, translation

from reports.predictors import METHOD
from reports.selectors import study_figure
from tests.factories import enrol, record

pytestmark = pytest.mark.django_db
PAGE = "/reports/response/"


@pytest.fixture(autouse=True)
def site_language_after():
    """A request in Chinese leaves its language active in this thread: give the next test the site's again."""
    yield
    translation.deactivate()


@pytest.fixture
def study(nurse):
    today = timezone.localdate()
    start = date(today.year - 1, today.month, 1)
    for number, counts in enumerate(([12, 25, 46, 78], [15, 41, 52, 38], [8, 10, 14, 12]), 1):
        patient = enrol(nurse, start=start, baseline=counts[0], today=today, birth=date(1960 + 5 * number, 1, 1))
        for code, day, count in zip(("week1", "week2", "week3"), (7, 14, 21), counts[1:], strict=True):
            record(patient, nurse, code, day=day, platelets=count, today=today)
    return today


def test_the_report_page_in_chinese(client, physician, study):
    client.force_login(physician)
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for text in ("表 1. 患者的临床特征", "表 2. 各时间点的疗效", "表 4. 第3个月总有效的影响因素", "二元 logistic 回归",
                 "下载 PDF"):
        assert text in page
    assert "Clinical characteristics of the patients" not in page and METHOD not in page
    table3 = page[page.index('data-testid="table3"'):]
    assert '>12 <span class="text-muted small">(n=3)' in table3 and "12.0" not in table3  # medians: no ".0"


def test_the_json_document_is_the_same_in_both_languages(client, physician, study):
    client.force_login(physician)
    english = client.get("/reports/response/study-report.json").content
    chinese = client.get("/reports/response/study-report.json", HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert english == chinese and json.loads(chinese)["table4"]["method"] == METHOD


@pytest.mark.parametrize("number", [1, 2])
def test_the_figures_are_drawn_in_the_readers_language(study, number):
    with translation.override("en"):
        english = study_figure(number=number)
    with warnings.catch_warnings(record=True) as caught, translation.override("zh-hans"):
        warnings.simplefilter("always")
        chinese = study_figure(number=number)
    assert english != chinese  # the axis title (drawn as paths) differs
    # Every Chinese character had a glyph (a CJK font is installed: fonts-noto-cjk in the image), no empty boxes.
    assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_a_chinese_font_installed_after_matplotlib_cached_its_font_list_is_found():
    """The font cache is written on first use; a machine that installs fonts-noto-cjk afterwards must still draw
    Chinese labels (CI installs the fonts while a cache from an earlier run may exist)."""
    import copy

    from matplotlib import font_manager

    from reports.figures import CJK_FONTS, fonts_of

    if not {font.name for font in font_manager.fontManager.ttflist} & set(CJK_FONTS):
        font_manager.fontManager.__init__()  # this process's list predates the font: read the system's again
    stale = copy.copy(font_manager.fontManager)
    cjk_files = {font.fname for font in font_manager.fontManager.ttflist if font.name in CJK_FONTS}
    stale.ttflist = [font for font in font_manager.fontManager.ttflist if font.fname not in cjk_files]
    assert not {font.name for font in stale.ttflist} & set(CJK_FONTS)
    assert "Noto Sans CJK SC" in fonts_of(stale)
