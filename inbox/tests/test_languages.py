"""Reminders are stored as kind + parameters and rendered in the reader's language: on the inbox page in the
request's language, by e-mail in each recipient's (one rendering per language, one e-mail per recipient)."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Preference
from inbox import emails
from inbox.models import Reminder
from inbox.outbox import outbox_drain
from inbox.scan import reminders_scan
from safety.tests.builders import alt, lab
from tests.factories import enrol

pytestmark = pytest.mark.django_db
DAY0 = date(2026, 3, 2)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def site_language_after():
    """A request in Chinese leaves its language active in this thread: give the next test the site's again."""
    yield
    translation.deactivate()


def colleague(user, username: str, email: str, language: str):
    other = user.__class__.objects.create_user(username, email=email, password="x")
    other.groups.add(*user.groups.all())
    if language:
        Preference.objects.create(user=other, language=language)
    return other


@pytest.fixture
def physicians(physician):
    """Three physicians with an address: one reads Chinese, one English, one the site language (English here)."""
    physician.email = "doc@example.org"
    physician.save()
    Preference.objects.create(user=physician, language="zh-hans")
    colleague(physician, "doc2", "doc2@example.org", "en")
    colleague(physician, "doc3", "doc3@example.org", "")
    return physician


def test_new_reminders_store_parameters_and_no_text(nurse):
    patient = enrol(nurse, start=DAY0)
    lab(patient, nurse, on=DAY0 + timedelta(days=14), values=[alt(100)])
    reminders_scan(today=DAY0 + timedelta(days=14))
    reminders = list(Reminder.objects.all())
    assert {r.kind for r in reminders} >= {"ae_proposed", "visit_due"}
    assert all(r.message == "" and r.params for r in reminders)


def test_each_recipient_reads_the_email_in_their_language_rendered_once_per_language(physicians, nurse,
                                                                                         monkeypatch):
    rendered = []
    subject = emails.reminder_subject
    monkeypatch.setattr(emails, "reminder_subject",
                        lambda reminder: rendered.append(translation.get_language()) or subject(reminder))
    patient = enrol(nurse, start=DAY0)
    lab(patient, nurse, on=DAY0 + timedelta(days=14), values=[alt(100)])  # an ALT grade to confirm: physicians
    assert outbox_drain() == 1
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["doc2@example.org", "doc3@example.org", "doc@example.org"]
    chinese = by_address["doc@example.org"]
    assert chinese.subject == "[ITP 试验] 待确认的不良事件：ITP-001"
    assert "请确认或驳回" in chinese.body and "请在试验系统中打开待办事项" in chinese.body
    for address in ("doc2@example.org", "doc3@example.org"):
        english = by_address[address]
        assert english.subject == "[ITP trial] Adverse event to confirm: ITP-001"
        assert "confirm or dismiss" in english.body and not HAN.search(english.subject + english.body)
    assert sorted(rendered) == ["en", "zh-hans"]  # doc2 and doc3 share the English rendering
    assert translation.get_language() == "en"  # the override ended with the e-mails


def test_a_retry_in_another_language_skips_who_already_got_it(physicians, nurse):
    patient = enrol(nurse, start=DAY0)
    lab(patient, nurse, on=DAY0 + timedelta(days=14), values=[alt(100)])
    message = emails.OutboxMessage.objects.get()
    emails.EmailSent.objects.create(message=message, recipient="doc@example.org")
    assert outbox_drain() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["doc2@example.org", "doc3@example.org"]


def test_recipients_carry_their_language(physicians):
    found = emails.recipients_by_audience()["physician"]
    assert [(r.email, r.language) for r in found] == [
        ("doc2@example.org", "en"), ("doc3@example.org", "en"), ("doc@example.org", "zh-hans")]


@pytest.mark.parametrize("recipients, skip, expected", [
    ([], set(), {}),
    ([("a@x", "en"), ("b@x", "zh-hans"), ("c@x", "en")], set(), {"en": ["a@x", "c@x"], "zh-hans": ["b@x"]}),
    ([("a@x", "en"), ("b@x", "zh-hans")], {"b@x"}, {"en": ["a@x"]}),
    ([("a@x", "en"), ("a@x", "en")], set(), {"en": ["a@x"]}),  # a user in two audiences' lists: one e-mail
])
def test_by_language(recipients, skip, expected):
    assert emails.by_language([emails.Recipient(*r) for r in recipients], skip=skip) == expected


def test_the_inbox_page_renders_the_same_reminder_in_the_readers_language(client, nurse):
    enrol(nurse, start=DAY0)
    reminders_scan(today=DAY0 + timedelta(days=6))
    client.force_login(nurse)
    english = client.get(reverse("inbox:inbox")).content.decode()
    chinese = client.get(reverse("inbox:inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "visit due — target" in english and "访视到期 — 目标日期" not in english
    assert "访视到期 — 目标日期" in chinese and "visit due — target" not in chinese


def test_a_trough_reminder_names_its_reason_in_the_readers_language(nurse):
    """The reason is kept as the due check's code and values, not as the English words stored beside them."""
    patient = enrol(nurse, start=DAY0)
    reminder = Reminder.objects.create(
        patient=patient, kind=Reminder.Kind.TROUGH_DUE, due_date=DAY0 + timedelta(days=5),
        audience=Reminder.Audience.NURSE,
        params={"status": "due", "reason": "week 1", "check": "week_1", "check_params": {}})
    with translation.override("zh-hans"):
        text = reminder.text
    assert "week" not in text and "第1周" in text, text
    with translation.override("en"):
        assert "week 1" in reminder.text
