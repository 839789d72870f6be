"""Thin Celery tasks: parse arguments, call the reminder services. acks_late + reject_on_worker_lost: a task
whose worker dies is redelivered, and the services' unique keys make the rerun create nothing twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from .reminders import reminders_email_pending, reminders_scan


@shared_task(name="safety.scan_reminders", acks_late=True, reject_on_worker_lost=True)
def scan_reminders_task(as_of: str | None = None) -> dict:
    today = date.fromisoformat(as_of) if as_of else timezone.localdate()
    created = reminders_scan(today=today)
    emailed = reminders_email_pending()
    return {"created": created, "emailed": emailed}


@shared_task(name="safety.email_reminders", acks_late=True, reject_on_worker_lost=True)
def email_reminders_task() -> int:
    return reminders_email_pending()
