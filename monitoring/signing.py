"""The signing check monitoring gives the casebook (settings.CASEBOOK_SIGNING_CHECKS): no open query on what a
signature would lock. The physician is told which queries, with their question."""

from .models import QueryStatus
from .selectors import queries_on


def open_queries_problems(*, patient_id: int, entries) -> list[str]:
    keys = {(key, pk) for key, pk, _version in entries}
    pending = [query for query in queries_on(patient_id=patient_id, statuses=(QueryStatus.OPEN, QueryStatus.ANSWERED))
               if (query.record_type, query.record_id) in keys]
    return [f"Open query {query.pk} ({query.get_status_display()}) on {query.where}: “{query.question}”. "
            "It must be closed before signing." for query in pending]
