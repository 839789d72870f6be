"""The signing check monitoring gives the casebook (settings.CASEBOOK_SIGNING_CHECKS): no open query on what a
signature would lock. The physician is told which queries, with their question."""

from django.utils.translation import gettext as _

from .models import QueryStatus
from .selectors import queries_on


def open_queries_problems(*, patient_id: int, entries) -> list[str]:
    keys = {(key, pk) for key, pk, _version in entries}
    pending = [query for query in queries_on(patient_id=patient_id, statuses=(QueryStatus.OPEN, QueryStatus.ANSWERED))
               if (query.record_type, query.record_id) in keys]
    return [_("Open query %(number)s (%(status)s) on %(where)s: “%(question)s”. It must be closed before signing.")
            % {"number": query.pk, "status": query.get_status_display(), "where": query.where,
               "question": query.question} for query in pending]
