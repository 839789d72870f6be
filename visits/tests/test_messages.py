"""Problem codes worded in one place: every code of the rule modules has a phrase and a sentence with the same
parameters, rendered in English and 简体中文; visit names, response names and counts shown without decimals."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from itp_trial.validation import Problem, phrase, sentence, shown
from patients.eligibility import PriorTherapyInput, date_problems, washout_warnings
from tests.factories import enrol, record
from tests.pages import post_form
from visits.messages import category_name, visit_name, window_warning
from visits.validation import visit_problems, window_problem

DAY0 = date(2026, 3, 2)
TODAY = date(2026, 3, 20)
PLACEHOLDER = re.compile(r"%\(\w+\)s")
CJK = re.compile(r"[\u4e00-\u9fff]")


def every_problem() -> list[Problem]:
    """At least one problem of every code the visits and patients rule modules return."""
    found = [
        *visit_problems(code="week1", visit_date=None, day0=DAY0, today=TODAY, platelets=None, bleeding_grade=None)
        .values(),
        *visit_problems(code="week1", visit_date=date(2026, 3, 21), day0=DAY0, today=TODAY,
                        platelets=Decimal(2000), bleeding_grade=7).values(),
        *visit_problems(code="baseline", visit_date=date(2026, 1, 1), day0=DAY0, today=TODAY,
                        platelets=Decimal(1), bleeding_grade=0).values(),
        *visit_problems(code="baseline", visit_date=date(2026, 3, 3), day0=DAY0, today=TODAY,
                        platelets=Decimal(1), bleeding_grade=0).values(),
        *visit_problems(code="week1", visit_date=date(2026, 3, 1), day0=DAY0, today=TODAY,
                        platelets=Decimal(1), bleeding_grade=0).values(),
        *date_problems(birth_date=date(2027, 1, 1), diagnosis_date=date(2026, 4, 1), start_date=date(2026, 3, 31),
                       today=TODAY, consent_date=date(2026, 4, 3), checked_on=date(2026, 4, 1)).values(),
        *date_problems(birth_date=date(1980, 1, 1), diagnosis_date=date(1979, 1, 1), start_date=DAY0,
                       today=TODAY).values(),
    ]
    problems = [problem for group in found for problem in group]
    problems += washout_warnings([PriorTherapyInput("tpo_ra"), PriorTherapyInput("other", date(2026, 3, 1),
                                                                                  "Avatrombopag")], DAY0)
    return problems


def test_every_code_is_worded_in_both_languages_with_its_parameters():
    problems = every_problem()
    codes = {p.code for p in problems}
    assert {"required", "visit_date.future", "visit_date.baseline_window", "visit_date.baseline_after_day0",
            "visit_date.before_day0", "platelets.range", "bleeding_grade.required", "bleeding_grade.range",
            "date.future", "start_date.future", "diagnosis_date.before_birth", "diagnosis_date.after_start",
            "consent_date.after_start", "washout.no_stop_date", "washout.recent"} <= codes
    for problem in problems:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for text in (phrase(problem), sentence(problem)):
                    assert not PLACEHOLDER.search(text), (problem, text)
                    assert ".0" not in text and "datetime" not in text, text
                    assert bool(CJK.search(text)) is (language == "zh-hans"), (problem, language, text)


@pytest.mark.parametrize(("problem", "en_phrase", "en_sentence", "zh"), [
    (Problem("visit_date.future", {"today": TODAY}), "cannot be in the future (today is 2026-03-20)",
     "Cannot be in the future (today is 2026-03-20).", "不能是将来的日期（今天是 2026-03-20）。"),
    (Problem("platelets.range", {"min": 0, "max": 1500}), "must be between 0 and 1500",
     "Must be between 0 and 1500.", "必须在 0 至 1500 之间。"),
    (Problem("number.too_large", {"limit": 10**9}), "is too large (at most 1,000,000,000 either side of zero)",
     "Is too large (at most 1,000,000,000 either side of zero).", "数值过大（绝对值最多 1,000,000,000）。"),
    (Problem("washout.no_stop_date", {"therapy": "rituximab", "other_name": ""}),
     "Rituximab: no stop date recorded, so the 1-month washout cannot be checked",
     "Rituximab: no stop date recorded, so the 1-month washout cannot be checked.",
     "利妥昔单抗：未记录停药日期，无法核查1个月洗脱期。"),
    (Problem("second_line.listed", {"therapies": [("tpo_ra", ""), ("other", "Avatrombopag")]}),
     "TPO receptor agonist, Avatrombopag is listed as a prior second-line therapy: say when it was stopped",
     "TPO receptor agonist, Avatrombopag is listed as a prior second-line therapy: say when it was stopped.",
     "已列出既往二线治疗 TPO受体激动剂，Avatrombopag：请说明其停药时间。"),
    (Problem("washout.acknowledge", {"warnings": [Problem("washout.declared_recent")]}),
     "acknowledge the washout warning to enrol: The checklist says a second-line therapy was stopped less than "
     "1 month before start.",
     "Acknowledge the washout warning to enrol: The checklist says a second-line therapy was stopped less than "
     "1 month before start.",
     "入组前请确认洗脱期警告：核查表显示二线治疗在开始前不足1个月停药。"),
], ids=["future", "platelets", "magnitude", "therapy-name", "therapy-list", "nested-warnings"])
def test_problems_are_rendered_when_read(problem, en_phrase, en_sentence, zh):
    with translation.override("en"):
        assert str(problem) == phrase(problem) == en_phrase
        assert sentence(problem) == en_sentence
    with translation.override("zh-hans"):
        assert sentence(problem) == zh


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("18.0"), "18"), (Decimal("18"), "18"), (Decimal("18.5"), "18.5"), (Decimal("5.900"), "5.9"),
    (Decimal("0.0"), "0"), (Decimal("1500.0"), "1500"), (Decimal("100"), "100"), (Decimal("1E+2"), "100"),
    (12.0, "12"), (12.25, "12.25"), (date(2026, 3, 2), "2026-03-02"), (7, "7"), ("ITP-001", "ITP-001"),
])
def test_values_are_shown_without_spurious_decimals(value, expected):
    assert shown(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("18.0"), "18"), (Decimal("31.5"), "31.5"), (Decimal("6.90"), "6.9"), (None, "None"), ("—", "—"),
])
def test_the_plain_filter(value, expected):
    assert Template("{% load visit_tags %}{{ v|plain }}").render(Context({"v": value})) == expected


@pytest.mark.parametrize(("code", "en", "zh"), [
    ("baseline", "Baseline", "基线"), ("week1", "Week 1", "第1周"), ("month3", "Month 3", "第3个月"),
    ("month6", "Month 6", "第6个月"), ("month12", "Month 12", "第12个月"), ("unscheduled", "Unscheduled visit",
                                                                           "计划外访视"),
    ("month99", "month99", "month99"),
])
def test_visit_names(code, en, zh):
    with translation.override("en"):
        assert visit_name(code) == en
    with translation.override("zh-hans"):
        assert visit_name(code) == zh


@pytest.mark.parametrize(("code", "en", "zh"), [
    ("CR", "complete response", "完全反应"), ("R", "response", "有效"), ("NR", "no response", "无效"),
])
def test_response_names_follow_the_glossary(code, en, zh):
    with translation.override("en"):
        assert category_name(code) == en
    with translation.override("zh-hans"):
        assert category_name(code) == zh


@pytest.mark.parametrize(("days", "en", "zh"), [
    (-1, "Outside the visit window (2026-03-07 to 2026-03-11): 1 day before it.",
     "超出访视窗（2026-03-07 至 2026-03-11）：提前 1 天。"),
    (4, "Outside the visit window (2026-03-07 to 2026-03-11): 4 days after it.",
     "超出访视窗（2026-03-07 至 2026-03-11）：延后 4 天。"),
])
def test_window_warning_in_both_languages(days, en, zh):
    problem = window_problem(days, earliest=date(2026, 3, 7), latest=date(2026, 3, 11))
    with translation.override("en"):
        assert window_warning(problem) == en
    with translation.override("zh-hans"):
        assert window_warning(problem) == zh


@pytest.fixture
def language_restored():
    """A request in Chinese activates it in the test's thread: the next tests read English again."""
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.mark.django_db
@pytest.mark.usefixtures("language_restored")
def test_a_chinese_visit_form_puts_the_rule_next_to_its_field_and_the_page_shows_counts_as_entered(client, nurse):
    today = timezone.localdate()
    patient = enrol(nurse, start=today - timedelta(days=20))
    record(patient, nurse, "week1", day=7, platelets=31)
    client.force_login(nurse)
    client.cookies["django_language"] = "zh-hans"
    url = reverse("visits:create", kwargs={"study_id": patient.study_id, "code": "week2"})
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = post_form(client, url, {"visit_date": tomorrow, "platelets": "2000", "bleeding_grade": "0"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "必须在 0 至 1500 之间。" in page
    assert "不能是将来的日期" in page
    assert "Must be" not in page and "Cannot be" not in page
    detail = client.get(reverse("patients:detail", kwargs={"study_id": patient.study_id})).content.decode()
    assert re.search(r'data-label="血小板">31\s*<', detail)
    assert "31.0" not in detail and "第1周" in detail and "访视计划" in detail
