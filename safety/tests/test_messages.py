"""CTCAE terms in the reader's language, findings worded in one place, values shown as entered."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation

from safety.findings import Finding
from safety.messages import graded_text, soc_label, term_label
from safety.services import AeInput, ae_findings, ae_problems
from safety.terms import CHINESE_SOCS, CHINESE_TERMS, TERMS, find_term
from safety.values import plain


@pytest.mark.parametrize("value, shown", [
    (D("5.900"), "5.9"), (D("2.00"), "2"), (D("100.000"), "100"), (D("0.050"), "0.05"), (D("1E+2"), "100"),
    (D("0"), "0"), (D("0.000"), "0"), (D("-1.50"), "-1.5"), (D("19.5"), "19.5"), (12, "12"), (2.5, "2.5"),
    (None, ""), ("", ""), ("n/a", "n/a"),
])
def test_plain_shows_a_value_without_spurious_zeros(value, shown):
    assert plain(value) == shown


def test_every_term_and_system_organ_class_has_its_chinese_name():
    assert {t.name for t in TERMS} <= set(CHINESE_TERMS)
    assert {t.soc for t in TERMS} <= set(CHINESE_SOCS)


@pytest.mark.parametrize("stored, english, chinese", [
    ("Alanine aminotransferase increased", "Alanine aminotransferase increased", "丙氨酸氨基转移酶升高"),
    ("Hypertriglyceridemia", "Hypertriglyceridemia", "高甘油三酯血症"),
    ("Mucositis oral", "Mucositis oral", "口腔黏膜炎"),
    ("acne", "Rash acneiform", "痤疮样皮疹"),  # a paper alias
    ("Nosebleed after fall", "Nosebleed after fall", "Nosebleed after fall"),  # uncoded: as typed
    ("", "", ""),
])
def test_term_label_by_language(stored, english, chinese):
    with translation.override("en"):
        assert term_label(stored) == english
    with translation.override("zh-hans"):
        assert term_label(stored) == chinese


def test_chinese_names_find_the_coded_term():
    assert find_term("口腔黏膜炎").name == "Mucositis oral"
    assert find_term("腹泻").meddra == "10012735"


def test_soc_and_grade_words():
    with translation.override("zh-hans"):
        assert soc_label("Gastrointestinal disorders") == "胃肠系统疾病"
        assert graded_text("Diarrhea", 3) == "腹泻 3级"


def test_ae_rules_return_codes_worded_in_the_readers_language():
    data = AeInput(term="Arthralgia", grade=4, onset_date=date(2026, 1, 1), relation="possible")
    findings = ae_findings(start_date=date(2026, 1, 10), data=data, today=date(2026, 2, 1))
    assert findings["grade"] == [Finding("ae.grade_not_defined", {"term": "Arthralgia", "grades": [1, 2, 3]})]
    assert findings["onset_date"] == [Finding("ae.onset_before_day0", {"day0": date(2026, 1, 10)})]
    with translation.override("en"):
        problems = ae_problems(start_date=date(2026, 1, 10), data=data, today=date(2026, 2, 1))
        assert problems["grade"] == ["Arthralgia is graded 1, 2, 3 in CTCAE v5.0."]
        assert problems["onset_date"] == ["Cannot be before day 0 (2026-01-10); earlier events are history."]
    with translation.override("zh-hans"):
        problems = ae_problems(start_date=date(2026, 1, 10), data=data, today=date(2026, 2, 1))
        assert problems["grade"] == ["在 CTCAE 5.0 中，关节痛 的分级为 1, 2, 3。"]
