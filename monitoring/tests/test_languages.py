"""Monitoring pages in the reader's language: the system's questions and notes in a thread are stored as written
and shown translated; what a person wrote is shown as written; refusals and form labels are translated."""

import pytest
from django.utils import translation

from monitoring.automatic import RULES
from monitoring.texts import AUTO_CLOSED, AUTO_REOPENED, message_text
from monitoring.workflow import REFUSED

SYSTEM = [rule.question for rule in RULES.values()] + [AUTO_CLOSED, AUTO_REOPENED]


@pytest.mark.parametrize("text", SYSTEM)
def test_a_system_text_is_itself_in_english_and_chinese_in_chinese(text):
    with translation.override("en"):
        assert message_text(text) == text  # the translation table matches what is stored, word for word
    with translation.override("zh-hans"):
        shown = message_text(text)
    assert shown != text and any("\u4e00" <= ch <= "\u9fff" for ch in shown)


@pytest.mark.parametrize("text", ["", "Please check the date.", "请核对日期。", SYSTEM[0] + " "])
def test_what_a_person_wrote_is_shown_as_written(text):
    with translation.override("zh-hans"):
        assert message_text(text) == text


def test_refusals_are_translated():
    with translation.override("zh-hans"):
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(text)) for text in REFUSED.values())
