"""Thin Celery tasks: parse arguments, call the inbox services. acks_late + reject_on_worker_lost: a task
whose worker dies is redelivered, and the unique keys (reminder, outbox message, e-mail sent) make the rerun
create and send nothing twice."""

from datetime import date

from celery import shared_task

from itp_trial.clock import study_today

from .outbox import outbox_drain
from .scan import reminders_email_pending, reminders_scan


@shared_task(name="inbox.scan_reminders", acks_late=True, reject_on_worker_lost=True)
def scan_reminders_task(as_of: str | None = None) -> dict:
    today = date.fromisoformat(as_of) if as_of else study_today()
    created = reminders_scan(today=today)
    emailed = reminders_email_pending()
    return {"created": created, "emailed": emailed}


@shared_task(name="inbox.drain_outbox", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def drain_outbox_task() -> int:
    return outbox_drain()

