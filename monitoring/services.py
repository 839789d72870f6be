"""Services that write queries, their messages and verification marks. Each is one transaction, checks the
capability, and leaves a history row with who, when and why (simple_history on every monitoring model)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from itp_trial.roles import ANSWER_QUERIES, ENTER_DATA, RAISE_QUERIES, VERIFY_SOURCE

from . import automatic, records
from .models import MessageKind, Query, QueryMessage, QueryStatus, Verification
from .system import system_user
from .texts import AUTO_CLOSED, AUTO_REOPENED  # stored as written, shown in the reader's language
from .workflow import REFUSED, next_status

TEXT_REQUIRED = _("Write the message.")
TEXT_MAX = 2000


def _require(user, permission: str, message: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(message)


def _text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": TEXT_REQUIRED})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": gettext("At most %(count)s characters.") % {"count": TEXT_MAX}})
    return text


def _save(row, *, user, reason: str):
    row.full_clean()
    row._history_user = user
    row._change_reason = reason
    row.save()
    return row


def _message(query: Query, *, kind: str, text: str, user, now, **extra) -> QueryMessage:
    return _save(QueryMessage(query=query, patient_id=query.patient_id, kind=kind, text=text, author=user,
                              written_at=now, **extra), user=user, reason=f"query {kind}")


def _move(query: Query, *, kind: str, user, now) -> Query:
    status = next_status(query.status, kind)
    if status is None:
        raise ValidationError(REFUSED[kind], code="query_status")
    query.status = status
    query.waiting_since = now
    query.closed_at = now if status == QueryStatus.CLOSED else None
    query.closed_by = user if status == QueryStatus.CLOSED else None
    query.version += 1
    return _save(query, user=user, reason=f"query {kind}")


def _locked(query: Query) -> Query:
    return Query.objects.select_for_update().get(pk=query.pk)


def query_raise(*, record_type: str, record_id: int, field: str, text: str, user) -> Query:
    """Raise a query on one field of a record (field "" for the record as a whole)."""
    _require(user, RAISE_QUERIES, _("Only monitors and data managers raise queries."))
    text = _text(text)
    found, record = records.record_get(record_type, record_id)
    if not records.is_field(found.model, field):
        raise ValidationError({"field": f"{found.label} has no field {field!r}."})
    now = timezone.now()
    with transaction.atomic():
        query = _save(Query(patient_id=found.patient(record), record_type=found.key, record_id=record.pk,
                            field=field, status=QueryStatus.OPEN, raised_by=user, raised_at=now, waiting_since=now),
                      user=user, reason="query raised")
        _message(query, kind=MessageKind.QUESTION, text=text, user=user, now=now)
    return query


def _step(query: Query, *, kind: str, text: str, user, capability: str, refusal: str) -> Query:
    """One message that moves the thread (ask again, close, re-open), under the query's row lock."""
    _require(user, capability, refusal)
    text = _text(text)
    with transaction.atomic():
        query = _locked(query)
        now = timezone.now()
        query = _move(query, kind=kind, user=user, now=now)
        _message(query, kind=kind, text=text, user=user, now=now)
    return query


def query_ask(*, query: Query, text: str, user) -> Query:
    """A follow-up question on an answered query: it is open again."""
    return _step(query, kind=MessageKind.QUESTION, text=text, user=user, capability=RAISE_QUERIES,
                 refusal=_("Only monitors and data managers ask questions on queries."))


@dataclass(frozen=True)
class Correction:
    """A new value for the queried field, written with the answer (reason required, version as seen)."""

    value: str
    reason: str
    version: int


def _correct(query: Query, correction: Correction, user) -> dict:
    """Write the correction through the record type's declared update service; what the message links to."""
    _require(user, ENTER_DATA, _("Only users who enter data can correct it."))
    found, record = records.record_get(query.record_type, query.record_id)
    if not query.field or query.field not in records.correctable_fields(found):
        raise ValidationError({"new_value": _("This value cannot be corrected from a query; use the record's page.")})
    old = records.value_shown(record, query.field)
    value = records.parse_value(found, query.field, correction.value)
    values = records.input_values(found.input, record, {query.field: value})
    saved = found.update(record=record, values=values, user=user, reason=correction.reason,
                         version=correction.version)
    saved.refresh_from_db()
    row = saved.history.filter(version=saved.version).order_by("-history_id").first()
    return {"correction_version": saved.version, "correction_history_id": row.history_id if row else None,
            "correction_field": query.field, "correction_old": old[:250],
            "correction_new": records.value_shown(saved, query.field)[:250]}


def query_answer(*, query: Query, text: str, user, correction: Correction | None = None) -> Query:
    """Answer a query, with a correction of the value when one is given (through the audited write path): the
    answer and the correction are saved together or not at all."""
    _require(user, ANSWER_QUERIES, _("Only nurses and physicians answer queries."))
    text = _text(text)
    with transaction.atomic():
        query = _locked(query)
        if next_status(query.status, MessageKind.ANSWER) is None:
            raise ValidationError(REFUSED[MessageKind.ANSWER], code="query_status")
        extra = _correct(query, correction, user) if correction is not None else {}
        now = timezone.now()
        query = _move(query, kind=MessageKind.ANSWER, user=user, now=now)
        _message(query, kind=MessageKind.ANSWER, text=text, user=user, now=now, **extra)
        if extra:
            automatic_queries_sync(patient_ids=[query.patient_id] if query.patient_id else None)
    return query


def query_close(*, query: Query, text: str, user) -> Query:
    return _step(query, kind=MessageKind.CLOSE, text=text, user=user, capability=RAISE_QUERIES,
                 refusal=_("Only monitors and data managers close queries."))


def query_reopen(*, query: Query, text: str, user) -> Query:
    return _step(query, kind=MessageKind.REOPEN, text=text, user=user, capability=RAISE_QUERIES,
                 refusal=_("Only monitors and data managers re-open queries."))


# --- automatic queries ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    raised: int = 0
    closed: int = 0
    reopened: int = 0


def automatic_queries_sync(*, patient_ids=None) -> SyncResult:
    """Raise a query for each cause the rules find (once per cause), close the system's queries whose cause is
    gone, re-open those whose cause came back. Idempotent: a second run changes nothing."""
    with transaction.atomic():
        found = {finding.cause: finding for finding in automatic.findings(patient_ids=patient_ids)}
        existing = Query.objects.select_for_update().exclude(cause=None)
        if patient_ids is not None:
            existing = existing.filter(patient_id__in=list(patient_ids))
        existing = {query.cause: query for query in existing}
        system = system_user()
        raised = closed = reopened = 0
        now = timezone.now()
        for cause, finding in found.items():
            query = existing.get(cause)
            if query is None:
                query = _save(Query(patient_id=finding.patient_id, record_type=finding.rule.record_type,
                                    record_id=finding.record_id, field=finding.rule.field, rule=finding.rule.code,
                                    cause=cause, status=QueryStatus.OPEN, raised_by=system, raised_at=now,
                                    waiting_since=now), user=system, reason="query raised by a rule")
                _message(query, kind=MessageKind.QUESTION, text=finding.rule.question, user=system, now=now)
                raised += 1
            elif query.status == QueryStatus.CLOSED and query.closed_by_id == system.pk:
                _move(query, kind=MessageKind.REOPEN, user=system, now=now)
                _message(query, kind=MessageKind.REOPEN, text=AUTO_REOPENED, user=system, now=now)
                reopened += 1
        for cause, query in existing.items():
            if cause not in found and query.status != QueryStatus.CLOSED:
                _move(query, kind=MessageKind.CLOSE, user=system, now=now)
                _message(query, kind=MessageKind.CLOSE, text=AUTO_CLOSED, user=system, now=now)
                closed += 1
    return SyncResult(raised, closed, reopened)


# --- source-data verification -----------------------------------------------------------------------------------

def record_verify(*, record_type: str, record_id: int, user, field: str = "", version: int) -> Verification:
    """Mark a record (or one field) verified against source at the version the monitor saw."""
    _require(user, VERIFY_SOURCE, _("Only monitors verify records against source."))
    found, record = records.record_get(record_type, record_id)
    if not records.is_field(found.model, field):
        raise ValidationError({"field": f"{found.label} has no field {field!r}."})
    if record.version != version:
        raise ValidationError(_("The record was changed since you opened it: check it again before verifying."),
                              code="stale")
    with transaction.atomic():
        mark = Verification.objects.select_for_update().filter(
            record_type=found.key, record_id=record.pk, field=field).first()
        if mark is None:
            mark = Verification(patient_id=found.patient(record), record_type=found.key, record_id=record.pk,
                                field=field, version=0)
        mark.record_version = record.version
        mark.verified_by = user
        mark.verified_at = timezone.now()
        mark.version += 1
        return _save(mark, user=user, reason=f"verified against source at version {record.version}")
