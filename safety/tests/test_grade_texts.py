"""The CTCAE grade definitions on a Chinese page: every one has its Chinese wording, with the English numbers and
thresholds unchanged; an English page keeps CTCAE's English."""

import re
from collections import Counter

import pytest
from django.utils import translation

from safety.grade_texts import CHINESE_GRADES
from safety.messages import generic_grade, grade_definition
from safety.terms import GENERIC_GRADES, TERMS, find_term

GRADE_TEXTS = sorted({text for term in TERMS for text in term.grades.values()})

# Kept in Latin letters on a Chinese page: the lab abbreviations and units CTCAE's Chinese version keeps.
KEPT_LATIN = re.compile(r"ULN|LLN|TPN|10⁹/L|mmol/L|mg/dL|g/L|mm Hg|g/24 h")
# A threshold: a number (or ULN/LLN) with its comparison sign, a grade of dipstick proteinuria, a percentage.
THRESHOLD = re.compile(r"[<>≥≤]?(?:\d+(?:\.\d+)?[+%]?|ULN|LLN)")


def test_every_grade_text_of_every_term_has_its_chinese_wording():
    assert len(GRADE_TEXTS) == 77
    assert [text for text in GRADE_TEXTS if text not in CHINESE_GRADES] == []
    assert set(CHINESE_GRADES) == set(GRADE_TEXTS)  # no wording left over from a changed English text


@pytest.mark.parametrize("english", GRADE_TEXTS)
def test_chinese_wording_has_no_english_left_and_the_same_thresholds(english):
    chinese = CHINESE_GRADES[english]
    assert re.findall(r"[A-Za-z]+", KEPT_LATIN.sub("", chinese)) == []
    assert re.search(r"[\u4e00-\u9fff]", chinese) or not re.search(r"[a-z]{3,}", KEPT_LATIN.sub("", english))
    assert Counter(THRESHOLD.findall(chinese)) == Counter(THRESHOLD.findall(english))
    assert chinese.count("×") == english.count("×")
    assert chinese.count("10⁹/L") == english.count("10⁹/L")


@pytest.mark.parametrize("term, grade, english, chinese", [
    ("Alanine aminotransferase increased", 2,
     ">3.0–5.0×ULN if baseline normal; >3.0–5.0×baseline if baseline abnormal",
     "基线正常者 >3.0–5.0×ULN；基线异常者 >3.0–5.0×基线值"),
    ("Diarrhea", 3, "Increase of ≥7 stools per day; hospitalization indicated; limiting self-care ADL",
     "每天排便次数增加 ≥7 次；需要住院治疗；影响自理性日常生活活动"),
    ("Anemia", 3, "Hb <80 g/L; transfusion indicated", "血红蛋白 <80 g/L；需要输血"),
    ("Neutrophil count decreased", 4, "<0.5×10⁹/L", "<0.5×10⁹/L"),
    ("Upper respiratory infection", 4, "Life-threatening consequences; urgent intervention indicated",
     "危及生命；需要紧急治疗"),
    ("Lung infection", 5, "Death", "死亡"),
    ("Rash acneiform", 2,
     "Papules and/or pustules covering 10–30% BSA; psychosocial impact; limiting instrumental ADL",
     "丘疹和/或脓疱覆盖 10–30% 体表面积；伴心理社会影响；影响工具性日常生活活动"),
    ("Proteinuria", 1, "1+ proteinuria; urinary protein ≥ULN to <1.0 g/24 h", "蛋白尿 1+；尿蛋白 ≥ULN 至 <1.0 g/24 h"),
    ("Arthralgia", 4, "", ""),  # a grade the term does not define
])
def test_grade_definition_by_language(term, grade, english, chinese):
    coded = find_term(term)
    with translation.override("en"):
        assert grade_definition(coded, grade) == english
    with translation.override("zh-hans"):
        assert grade_definition(coded, grade) == chinese


def test_every_generic_grade_is_chinese_on_a_chinese_page():
    with translation.override("zh-hans"):
        shown = {grade: generic_grade(grade) for grade in GENERIC_GRADES}
    assert shown == {1: "轻度", 2: "中度", 3: "重度或具有重要医学意义", 4: "危及生命；需要紧急治疗",
                     5: "与不良事件相关的死亡"}
    with translation.override("en"):
        assert {grade: generic_grade(grade) for grade in GENERIC_GRADES} == GENERIC_GRADES
