"""Thin Celery task: run the automatic-query rules over the whole study (idempotent, safe to repeat)."""

from celery import shared_task

from .services import automatic_queries_sync


@shared_task(name="monitoring.scan_queries", acks_late=True, reject_on_worker_lost=True)
def scan_queries_task() -> dict:
    result = automatic_queries_sync()
    return {"raised": result.raised, "closed": result.closed, "reopened": result.reopened}
