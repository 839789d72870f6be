"""Reminders on a real broker: an in-process worker (tasks enqueued on commit), and a subprocess worker killed
in the middle of a scan whose task Redis redelivers to a new worker — every reminder exactly once.

Runs against the real Redis of the test settings (CELERY_BROKER_URL) and the test database (transactional)."""

import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection

from inbox.models import Reminder
from inbox.scan import reminders_scan
from inbox.sources import reminder_candidates
from inbox.tasks import scan_reminders_task
from itp_trial.celery import app
from safety.tests.builders import alt, bulk_patients, lab
from tests.factories import enrol

pytestmark = pytest.mark.django_db(transaction=True)
DAY0 = date(2026, 3, 2)
SCAN_DAY = DAY0 + timedelta(days=20)
BASE_DIR = Path(settings.BASE_DIR)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def broker():
    """An empty queue before and after (other suites' messages never reach this test's worker)."""
    app.control.purge()
    yield app
    app.control.purge()


def test_in_process_worker_sends_the_on_commit_email_and_runs_the_scan(broker, nurse, physician):
    physician.email = "doc@example.org"
    physician.save()
    patient = enrol(nurse, start=DAY0)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        lab(patient, nurse, on=DAY0 + timedelta(days=14), values=[alt(100)])  # proposal → email task on commit
        wait_for(lambda: Reminder.objects.filter(emailed_at__isnull=False).exists(), 15, "the on-commit email")
        assert [m.to for m in mail.outbox] == [["doc@example.org"]]
        scan_reminders_task.delay(SCAN_DAY.isoformat())
        wait_for(lambda: Reminder.objects.count() > 1 and not Reminder.objects.filter(emailed_at=None).exists(),
                 15, "the scan task")
    assert Reminder.objects.filter(kind="ae_proposed").count() == 1
    assert len(mail.outbox) == 1  # nurses have no email address: nothing else sent, nothing sent twice


class Worker:
    """`celery worker -P solo` in a subprocess on the test database; collects its output."""

    def __init__(self, pause_file: Path):
        db = connection.settings_dict
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "itp_trial.settings.test",
               "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
               "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "INBOX_SCAN_PAUSE_FILE": str(pause_file),
               "PYTHONUNBUFFERED": "1"}
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "itp_trial", "worker", "-P", "solo", "-c", "1", "--without-mingle",
             "--without-gossip", "--without-heartbeat", "-l", "INFO"],
            cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        try:
            started = self.ready.wait(30)
        except BaseException:  # an interrupted run (Ctrl-C, SIGTERM) must not leave the worker behind
            self.stop()
            raise
        if not started:
            self.stop()
            raise AssertionError("worker did not start:\n" + "".join(self.lines[-30:]))

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            if "ready." in line:
                self.ready.set()

    def kill(self):
        self.proc.kill()  # SIGKILL: no chance to ack, reject or roll back politely
        self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def test_worker_killed_mid_scan_then_redelivered_creates_every_reminder_once(broker, nurse, tmp_path):
    bulk_patients(40, nurse, start=DAY0)
    expected = {(c.patient_id, c.kind, c.due_date) for c in reminder_candidates(today=SCAN_DAY)}
    assert len(expected) > 40
    pause = tmp_path / "pause"
    reached = Path(f"{pause}.reached")
    pause.touch()
    started = time.monotonic()
    first = Worker(pause)
    try:
        scan_reminders_task.delay(SCAN_DAY.isoformat())
        wait_for(reached.exists, 20, "the scan to reach its pause point")
        assert Reminder.objects.count() == 0  # inserted inside the scan's transaction, not committed
        first.kill()
    finally:
        first.stop()
    assert Reminder.objects.count() == 0  # the killed worker's transaction was rolled back
    pause.unlink()
    second = Worker(pause)
    try:
        wait_for(lambda: Reminder.objects.count() == len(expected)
                 and not Reminder.objects.filter(emailed_at=None).exists(), 30, "the redelivered scan")
        time.sleep(1)  # a second delivery, if there were one, would have run by now
        assert "inbox.scan_reminders" in "".join(second.lines)  # the new worker ran the redelivered task
    finally:
        second.stop()
    keys = set(Reminder.objects.values_list("patient_id", "kind", "due_date"))
    assert keys == expected and Reminder.objects.count() == len(expected)
    assert reminders_scan(today=SCAN_DAY) == 0
    print(f"kill-and-redeliver took {time.monotonic() - started:.1f} s")
