"""Finding patients: filters by status and by what is due, text search, counts, pages, a constant query count."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dosing.services import sirolimus_stop
from dosing.tests.factories import dose
from patients.off_study import withdrawal_complete
from patients.services import patient_update
from reports.tests.bulk import bulk_patients
from safety.tests.builders import event
from tests.factories import enrol, record
from visits.finder import patient_find

TODAY = date(2026, 6, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(nurse, physician):
    """Five patients, one per situation a nurse filters for."""
    start = TODAY - timedelta(days=7)  # week 1 is due today (target day 7)
    responding = enrol(nurse, start=start, baseline=10, today=TODAY)
    record(responding, nurse, "week1", day=7, platelets=45, today=TODAY)  # R; week-1 visit done
    patient_update(patient=responding, changes={"initials": "W.L."}, user=nurse, reason="ward list",
                   version=responding.version)
    waiting = enrol(nurse, start=start, baseline=10, today=TODAY)  # week-1 visit and trough due
    dose(waiting, nurse, day=0, mg=2, today=TODAY)
    stopped = enrol(nurse, start=TODAY - timedelta(days=40), baseline=10, today=TODAY)
    dose(stopped, nurse, day=0, mg=2, today=TODAY)
    sirolimus_stop(patient=stopped, stop_date=TODAY - timedelta(days=2), reason="no response", user=physician,
                   today=TODAY)
    pending = enrol(nurse, start=start, baseline=10, today=TODAY)
    event(pending, nurse, on=TODAY, grade=3, today=TODAY)  # grade 3: withdrawal pending
    off = enrol(nurse, start=TODAY - timedelta(days=20), baseline=10, today=TODAY)
    event(off, nurse, on=TODAY - timedelta(days=3), grade=3, today=TODAY)
    withdrawal_complete(patient=off, off_study_date=TODAY - timedelta(days=1), off_study_reason="grade 3 diarrhoea",
                        user=physician, today=TODAY)
    return {"responding": responding, "waiting": waiting, "stopped": stopped, "pending": pending, "off": off}


def ids(found) -> list[str]:
    return [row.patient.study_id for row in found.rows]


@pytest.mark.parametrize(
    "status, due, expected",
    [
        ("", "", ["responding", "waiting", "stopped", "pending", "off"]),
        ("on_treatment", "", ["responding", "waiting", "pending"]),  # not stopped, not off study
        ("responding", "", ["responding"]),
        ("withdrawal", "", ["pending"]),
        ("off_study", "", ["off"]),
        ("", "visit", ["waiting", "pending"]),  # week 1 due today and not recorded; off study: no more visits
        ("", "trough", ["responding", "waiting", "pending"]),  # week-1 check (days 5-9); none after a stop or off study
        ("on_treatment", "visit", ["waiting", "pending"]),
        ("off_study", "visit", []),
        ("unknown", "nonsense", ["responding", "waiting", "stopped", "pending", "off"]),  # unknown keys: no filter
    ],
)
def test_filters(ward, status, due, expected):
    found = patient_find(status=status, due=due, today=TODAY)
    assert ids(found) == [ward[name].study_id for name in expected]


def test_each_filter_shows_its_count(ward):
    found = patient_find(today=TODAY)
    assert found.total == 5
    assert {c.key: c.count for c in found.status_counts} == {
        "on_treatment": 3, "responding": 1, "withdrawal": 1, "off_study": 1}
    counts = {c.key: c.count for c in found.due_counts}
    assert (counts["visit"], counts["trough"]) == (2, 3)
    assert counts["labs"] == len(patient_find(due="labs", today=TODAY).rows)


def test_text_finds_study_id_and_initials(ward):
    assert ids(patient_find(text="w.l.", today=TODAY)) == [ward["responding"].study_id]
    assert ids(patient_find(text=ward["off"].study_id.lower(), today=TODAY)) == [ward["off"].study_id]
    found = patient_find(text="ITP-00", status="withdrawal", today=TODAY)  # text narrows the counts too
    assert ids(found) == [ward["pending"].study_id] and found.total == 5
    assert patient_find(text="nobody", today=TODAY).rows == []


def test_the_row_says_what_is_due(ward):
    [row] = patient_find(text=ward["waiting"].study_id, today=TODAY).rows
    assert row.due["visit"] == "due" and row.due["trough"] == "due"


def test_pages_keep_the_filters(client, nurse):
    bulk_patients(60, user=nurse, start=TODAY - timedelta(days=30))
    client.force_login(nurse)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("patients:list"), {"status": "responding", "q": "ITP-00", "page": 2})
    assert page.status_code == 200
    found = page.context["found"]
    assert (found.page.number, found.page.paginator.num_pages, len(found.rows)) == (2, 3, 25)
    html = page.content.decode()
    assert 'href="?status=responding&amp;q=ITP-00&amp;page=3"' in html  # next page keeps status and text
    assert 'href="?status=responding&amp;q=ITP-00"' in html  # first page
    assert 'href="?q=ITP-00&amp;page=2&amp;due=visit"' not in html  # choosing a filter goes back to page 1
    assert 'href="?status=responding&amp;q=ITP-00&amp;due=visit"' in html
    assert "60 patients" in html and "showing 26–50" in html


def test_initials_are_never_exported(client, data_manager, ward):
    client.force_login(data_manager)
    for dataset in ("patients", "audit"):
        body = b"".join(client.get(reverse("reports:export", kwargs={"name": dataset})).streaming_content)
        assert b"W.L." not in body and b"initials" not in body


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/patients/", "/patients/?status=on_treatment&due=labs&page=2",
                                 "/patients/?q=ITP-00&due=any"], ids=["all", "filtered-page-2", "text"])
def test_query_count_does_not_grow_with_patients(client, nurse, url, django_assert_num_queries):
    start = TODAY - timedelta(days=30)
    for patient in bulk_patients(10, user=nurse, start=start):
        dose(patient, nurse, day=0, mg=Decimal(2), today=TODAY)
    client.force_login(nurse)
    with time_machine.travel(TODAY, tick=False):
        client.get(url)  # warm per-process caches (content types, permissions)
        at_10 = queries(client, url)
        more = bulk_patients(490, user=nurse, start=start, first_number=11)
        for patient in more[:40]:
            dose(patient, nurse, day=0, mg=Decimal(2), today=TODAY)
        with django_assert_num_queries(at_10):
            assert client.get(url).status_code == 200
    print(f"patient list {url}: {at_10} queries at 10 and at 500 patients")
