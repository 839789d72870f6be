"""Monitoring's contribution to the study's exports: the `queries` dataset (one row per message, with its
codebook) and the models whose history joins the audit trail. Columns are plain tuples
(name, label, kind, unit, allowed) so the reports app wraps them in its own types."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from .models import MessageKind, Query, QueryMessage, QueryStatus, Verification

AUDITED_MODELS = (Query, QueryMessage, Verification)

KINDS = ", ".join(MessageKind.values)
STATUSES = ", ".join(QueryStatus.values)

QUERY_COLUMNS = (
    ("query", _("Query id"), "integer", "", ""),
    ("study_id", _("Study id"), "text", "", ""),
    ("record_type", _("Record type (the casebook's key)"), "text", "", _("e.g. visit, dose, trough, adverse_event")),
    ("record", _("Record id"), "integer", "", ""),
    ("field", _("Field queried (empty: the record as a whole)"), "text", "", ""),
    ("rule", _("Rule of an automatic query (empty: raised by a person)"), "text", "",
     "visit_window, washout, platelets_high, trough_high, dose_range, bleeding_missing"),
    ("status", _("Status of the query now"), "text", "", STATUSES),
    ("raised_utc", _("Query raised"), "datetime", "UTC", ""),
    ("message", _("Message number in the thread"), "integer", "", ""),
    ("kind", _("Message kind"), "text", "", KINDS),
    ("text", _("Message"), "text", "", ""),
    ("author", _("Author (user name; system for automatic messages)"), "text", "", ""),
    ("time_utc", _("Message written"), "datetime", "UTC", ""),
    ("correction_version", _("Record version a correction with this answer produced"), "integer", "", ""),
    ("correction_old", _("Value before the correction"), "text", "", ""),
    ("correction_new", _("Value after the correction"), "text", "", ""),
)


def query_message_rows() -> Iterator[tuple]:
    """One row per message, in thread order, read in chunks whatever the number of messages."""
    messages = (QueryMessage.objects.order_by("query_id", "written_at", "id").values_list(
        "query_id", "query__patient__study_id", "query__record_type", "query__record_id", "query__field",
        "query__rule", "query__status", "query__raised_at", "kind", "text", "author__username", "written_at",
        "correction_version", "correction_old", "correction_new"))
    current, number = None, 0
    for row in messages.iterator(chunk_size=5000):
        query_id = row[0]
        number = number + 1 if query_id == current else 1
        current = query_id
        *head, correction_version, old, new = row
        yield (*head[:8], number, *head[8:], correction_version, old or None, new or None)


def query_message_count() -> int:
    return QueryMessage.objects.count()
