"""The outbox: written with the record, drained once, retried after a mail server failure, and nudging a
worker never fails or holds up a save when the broker is down or hung (real sockets, no mocks)."""

import socket
import threading
import time
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from inbox import outbox
from inbox.models import EmailSent, OutboxMessage, Reminder
from inbox.outbox import outbox_drain, outbox_kick
from inbox.scan import reminders_email_pending, reminders_scan
from safety.tests.builders import alt, lab
from tests.factories import enrol

DAY0 = date(2026, 3, 2)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hung_port():
    """A port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def emails(users):
    users["nurse"].email, users["physician"].email = "nurse@example.org", "doc@example.org"
    users["nurse"].save()
    users["physician"].save()
    return users


@pytest.mark.django_db
def test_a_proposal_writes_its_reminder_and_outbox_message_in_the_same_transaction(emails):
    patient = enrol(emails["nurse"], start=DAY0)
    with pytest.raises(RuntimeError), transaction.atomic():
        lab(patient, emails["nurse"], on=DAY0 + timedelta(days=14), values=[alt(100)])
        assert OutboxMessage.objects.count() == 1 and Reminder.objects.count() == 1
        raise RuntimeError("the save fails after the service: everything rolls back together")
    assert OutboxMessage.objects.count() == 0 and Reminder.objects.count() == 0
    lab(patient, emails["nurse"], on=DAY0 + timedelta(days=14), values=[alt(100)])
    message = OutboxMessage.objects.get()
    assert message.key == f"reminder_email:{Reminder.objects.get().pk}" and message.done_at is None


@pytest.mark.django_db
def test_each_reminder_is_emailed_once_per_recipient_and_the_rows_prove_it(emails):
    patient = enrol(emails["nurse"], start=DAY0)
    lab(patient, emails["nurse"], on=DAY0 + timedelta(days=14), values=[alt(100)])
    created = reminders_scan(today=DAY0 + timedelta(days=14))
    assert outbox_drain() == created + 1 and outbox_drain() == 0
    assert len(mail.outbox) == EmailSent.objects.count() == created + 1
    sent = list(EmailSent.objects.values_list("message__key", "recipient"))
    assert len(set(sent)) == len(sent) and {to for _, to in sent} == {m.to[0] for m in mail.outbox}
    assert not OutboxMessage.objects.filter(done_at=None).exists()
    assert not Reminder.objects.filter(emailed_at=None).exists()
    assert reminders_email_pending() == 0 and len(mail.outbox) == created + 1


@pytest.mark.django_db
def test_a_mail_server_that_is_down_delays_the_email_and_loses_nothing(emails):
    patient = enrol(emails["nurse"], start=DAY0)
    lab(patient, emails["nurse"], on=DAY0 + timedelta(days=14), values=[alt(100)])
    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": closed_port(), "EMAIL_TIMEOUT": 2}
    with override_settings(**smtp):
        assert outbox_drain() == 0
    message = OutboxMessage.objects.get()
    assert message.attempts == 1 and message.done_at is None and "Connection refused" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert outbox_drain() == 0  # not yet: it waits for its next attempt
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        assert outbox_drain() == 1
    assert [m.to for m in mail.outbox] == [["doc@example.org"]] and EmailSent.objects.count() == 1
    message.refresh_from_db()
    assert message.attempts == 2 and message.done_at is not None and message.last_error == ""


@pytest.mark.django_db
def test_a_retried_message_skips_whoever_already_got_it(emails, users):
    second = users["physician"].__class__.objects.create_user("doc2", email="doc2@example.org", password="x")
    second.groups.add(*users["physician"].groups.all())
    patient = enrol(emails["nurse"], start=DAY0)
    lab(patient, emails["nurse"], on=DAY0 + timedelta(days=14), values=[alt(100)])
    message = OutboxMessage.objects.get()
    EmailSent.objects.create(message=message, recipient="doc2@example.org")  # a first attempt reached doc2
    assert outbox_drain() == 1
    assert [m.to for m in mail.outbox] == [["doc@example.org"]]


@pytest.mark.parametrize("broker", ["down", "hung"])
@pytest.mark.django_db
def test_nudging_the_worker_never_raises_and_returns_promptly(broker, request):
    port = closed_port() if broker == "down" else request.getfixturevalue("hung_port")
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/0", OUTBOX_KICK_TIMEOUT=0.5,
                           OUTBOX_KICK_BACKOFF=30):
        outbox._kick_blocked_until = 0.0
        started = time.monotonic()
        assert outbox_kick() is False
        first = time.monotonic() - started
        started = time.monotonic()
        assert outbox_kick() is False  # backing off: not even tried
        second = time.monotonic() - started
    outbox._kick_blocked_until = 0.0
    assert first < 3 and second < 0.01, (first, second)
    print(f"kick with the broker {broker}: {first:.2f} s, then {second * 1000:.1f} ms while backing off")


@pytest.mark.django_db
def test_nudging_the_real_broker_queues_a_drain(settings):
    from itp_trial.celery import app

    app.control.purge()
    outbox._kick_blocked_until = 0.0
    assert outbox_kick() is True
    assert app.control.purge() == 1  # the drain task was on the queue
