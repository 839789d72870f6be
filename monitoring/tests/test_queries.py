"""Query threads: statuses, who may do what, corrections through the write path, nothing deleted."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import HardDeleteRefused
from casebook.writes import StaleRecord
from monitoring.models import MessageKind, Query, QueryMessage, QueryStatus
from monitoring.services import Correction, query_answer, query_ask, query_close, query_raise, query_reopen
from monitoring.workflow import next_status
from tests.factories import enrol, record
from visits.models import Visit

START = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status, kind, after", [
    ("open", "answer", "answered"),
    ("answered", "answer", "answered"),
    ("open", "close", "closed"),
    ("answered", "close", "closed"),
    ("closed", "reopen", "open"),
    ("answered", "question", "open"),
    ("closed", "answer", None),
    ("closed", "close", None),
    ("open", "reopen", None),
    ("answered", "reopen", None),
    ("open", "question", None),
])
def test_transitions(status, kind, after):
    assert next_status(status, kind) == after


@pytest.fixture
def week2(nurse):
    patient = enrol(nurse, start=START, today=START + timedelta(days=20))
    record(patient, nurse, "week1", day=7, platelets=30, today=START + timedelta(days=20))
    return record(patient, nurse, "week2", day=14, platelets=45, today=START + timedelta(days=20))


def test_thread_from_question_to_close_and_reopen(week2, monitor, nurse, data_manager):
    query = query_raise(record_type="visit", record_id=week2.pk, field="platelets", text="Lab report says 54?",
                        user=monitor)
    assert (query.status, query.patient_id, query.field) == (QueryStatus.OPEN, week2.patient_id, "platelets")
    query = query_answer(query=query, text="Checked: typo.", user=nurse)
    assert query.status == QueryStatus.ANSWERED
    query = query_ask(query=query, text="Please correct it then.", user=monitor)
    assert query.status == QueryStatus.OPEN
    query = query_close(query=query, text="Fine.", user=data_manager)
    assert query.status == QueryStatus.CLOSED and query.closed_by == data_manager
    query = query_reopen(query=query, text="Reopening: still wrong.", user=monitor)
    assert query.status == QueryStatus.OPEN and query.closed_at is None
    kinds = list(QueryMessage.objects.filter(query=query).values_list("kind", flat=True))
    assert kinds == ["question", "answer", "question", "close", "reopen"]
    history = list(query.history.order_by("history_id").values_list("status", "history_user__username"))
    assert history[0] == ("open", "monitor") and history[-1] == ("open", "monitor")


@pytest.mark.parametrize("role, action", [
    ("nurse", "raise"), ("physician", "raise"), ("nurse", "close"), ("physician", "close"),
    ("monitor", "answer"), ("data_manager", "answer"), ("nurse", "reopen"),
])
def test_refused_roles(week2, users, role, action):
    query = query_raise(record_type="visit", record_id=week2.pk, field="platelets", text="?", user=users["monitor"])
    user = users[role]
    calls = {
        "raise": lambda: query_raise(record_type="visit", record_id=week2.pk, field="", text="?", user=user),
        "close": lambda: query_close(query=query, text="done", user=user),
        "answer": lambda: query_answer(query=query, text="ok", user=user),
        "reopen": lambda: query_reopen(query=query, text="again", user=user),
    }
    with pytest.raises(PermissionDenied):
        calls[action]()
    assert Query.objects.get(pk=query.pk).status == QueryStatus.OPEN


def test_answer_with_correction_goes_through_the_write_path(week2, monitor, nurse):
    query = query_raise(record_type="visit", record_id=week2.pk, field="platelets", text="54 on the report?",
                        user=monitor)
    query_answer(query=query, text="Typo, corrected.", user=nurse,
                 correction=Correction(value="54", reason="transcription error", version=week2.version))
    visit = Visit.objects.get(pk=week2.pk)
    assert visit.platelets == Decimal("54.0") and visit.version == week2.version + 1
    latest = visit.history.order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason) == (nurse, "transcription error")
    message = QueryMessage.objects.get(query=query, kind=MessageKind.ANSWER)
    assert (message.correction_version, message.correction_history_id) == (visit.version, latest.history_id)
    assert (message.correction_old, message.correction_new) == ("45.0", "54.0")


@pytest.mark.parametrize("value, reason, version, error", [
    ("abc", "typo", None, "new_value"),
    ("5000", "typo", None, "platelets"),
    ("54", "", None, "reason"),
    ("54", "typo", "stale", "stale"),
], ids=["not-a-number", "out-of-range", "no-reason", "stale-version"])
def test_a_refused_correction_saves_nothing(week2, monitor, nurse, value, reason, version, error):
    query = query_raise(record_type="visit", record_id=week2.pk, field="platelets", text="?", user=monitor)
    seen = week2.version - 1 if version == "stale" else week2.version
    with pytest.raises((ValidationError, StaleRecord)) as caught:
        query_answer(query=query, text="corrected", user=nurse,
                     correction=Correction(value=value, reason=reason, version=seen))
    if error != "stale":
        assert error in caught.value.message_dict or error in str(caught.value)
    assert Visit.objects.get(pk=week2.pk).platelets == Decimal("45.0")
    assert Query.objects.get(pk=query.pk).status == QueryStatus.OPEN
    assert not QueryMessage.objects.filter(query=query, kind=MessageKind.ANSWER).exists()


def test_monitor_cannot_correct_and_nothing_is_deleted(week2, monitor, nurse):
    query = query_raise(record_type="visit", record_id=week2.pk, field="platelets", text="?", user=monitor)
    with pytest.raises(PermissionDenied):
        query_answer(query=query, text="x", user=monitor, correction=Correction("50", "r", week2.version))
    with pytest.raises(HardDeleteRefused):
        query.delete()
    with pytest.raises(HardDeleteRefused):
        QueryMessage.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        Query.objects.all().delete()


@pytest.mark.parametrize("field, text, problem", [
    ("no_such_field", "?", "field"), ("platelets", "   ", "text"), ("version", "?", "field"),
])
def test_raise_refuses_bad_input(week2, monitor, field, text, problem):
    with pytest.raises(ValidationError) as caught:
        query_raise(record_type="visit", record_id=week2.pk, field=field, text=text, user=monitor)
    assert problem in caught.value.message_dict
    assert not Query.objects.exists()
