"""Source-data verification: marks hold the version seen; a later change shows as changed since verification."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.study_data import build_study
from dosing.models import DoseChange
from monitoring import views as monitoring_views
from monitoring.models import Verification
from monitoring.selectors import (
    ChangedMarks,
    Progress,
    changed_since_verification,
    patient_marks,
    sdv_progress,
    study_progress,
)
from monitoring.services import query_close, query_raise, record_verify
from patients.models import Patient
from tests.factories import enrol, record, sign_casebook
from visits.models import Visit
from visits.services import VisitValues, visit_update

START = date(2026, 3, 2)
TODAY = START + timedelta(days=20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(nurse):
    patient = enrol(nurse, start=START, today=TODAY)
    record(patient, nurse, "week1", day=7, platelets=30, today=TODAY)
    return patient


def test_verify_then_change_shows_changed(patient, monitor, nurse):
    visit = patient.visits.get(slot__code="week1")
    record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=visit.version)
    assert sdv_progress(patient_ids=[patient.pk])[patient.pk].verified == 1
    visit_update(visit=visit, values=VisitValues(visit.visit_date, Decimal(33), 0), user=nurse, reason="typo",
                 version=visit.version, today=TODAY)
    progress = sdv_progress(patient_ids=[patient.pk])[patient.pk]
    assert (progress.verified, progress.changed) == (0, 1)
    [(mark, current)] = changed_since_verification()
    assert (mark.record_id, mark.record_version, current.version) == (visit.pk, 1, 2)
    record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=2)  # checked again
    assert changed_since_verification() == []
    assert Verification.objects.get().history.count() == 2  # the first mark is kept in the history


def test_progress_counts_records_and_critical_fields(patient, monitor):
    progress = sdv_progress(patient_ids=[patient.pk])[patient.pk]
    # patient, eligibility, consent, prior therapy, two visits; two critical fields per visit
    assert (progress.records, progress.verified, progress.critical, progress.critical_verified) == (6, 0, 4, 0)
    visit = patient.visits.get(slot__code="week1")
    record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=visit.version, field="platelets")
    progress = sdv_progress(patient_ids=[patient.pk])[patient.pk]
    assert (progress.verified, progress.critical_verified) == (0, 1)
    record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=visit.version)
    progress = sdv_progress(patient_ids=[patient.pk])[patient.pk]
    assert (progress.verified, progress.critical_verified, progress.records_share) == (1, 2, 17)


@pytest.mark.parametrize("role", ["nurse", "physician", "data_manager"])
def test_only_monitors_verify(patient, users, role):
    visit = patient.visits.first()
    with pytest.raises(PermissionDenied):
        record_verify(record_type="visit", record_id=visit.pk, user=users[role], version=visit.version)


def test_verifying_a_stale_page_is_refused(patient, monitor):
    visit = patient.visits.first()
    with pytest.raises(ValidationError):
        record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=visit.version + 1)
    assert not Verification.objects.exists()


def test_casebook_cannot_be_signed_with_open_queries(patient, monitor, physician):
    visit = patient.visits.get(slot__code="week1")
    query = query_raise(record_type="visit", record_id=visit.pk, field="platelets", text="Check the count",
                        user=monitor)
    marks = patient_marks(patient_id=patient.pk)
    assert marks[("visit", visit.pk)].fields == {"platelets": 1}
    with pytest.raises(ValidationError) as caught:
        sign_casebook(patient, physician, up_to=TODAY, today=TODAY)
    assert f"Open query {query.pk}" in caught.value.messages[0] and "Check the count" in caught.value.messages[0]
    assert not patient.signatures.exists()
    query_close(query=query, text="ok", user=monitor)
    assert sign_casebook(patient, physician, up_to=TODAY, today=TODAY).pk


def test_study_progress_is_one_query_and_the_sum_of_every_patients(physician, monitor, nurse):
    """The whole study's SDV progress (the study summary, the changed-since-verification page) in one query at
    any size: the same numbers as the per-patient progress added up, on a generated study with record and field
    marks, critical and not, current and changed since."""
    today = date(2026, 6, 1)
    build_study(12, user=physician, today=today)
    visits = list(Visit.objects.order_by("pk"))
    for i, visit in enumerate(visits):
        for every, name in ((3, ""), (4, "platelets"), (5, "bleeding_grade"), (6, "visit_date")):
            if i % every == 0:
                record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=1, field=name)
    for dose in DoseChange.objects.order_by("pk")[:5]:
        record_verify(record_type="dose", record_id=dose.pk, user=monitor, version=dose.version)
    for patient in Patient.objects.order_by("pk")[:3]:
        record_verify(record_type="patient", record_id=patient.pk, user=monitor, version=patient.version)
    changed = visits[3]  # verified as a whole, then corrected
    visit_update(visit=changed, values=VisitValues(changed.visit_date, changed.platelets + 1, 0), user=nurse,
                 reason="typo", version=1, today=today)

    expected = Progress()
    for item in sdv_progress().values():
        expected.add(item)
    with CaptureQueriesContext(connection) as captured:
        progress = study_progress()
    assert len(captured) == 1
    assert progress == expected
    assert progress.changed == 1 and progress.verified == len(visits[::3]) - 1 + 5 + 3
    assert progress.critical == 2 * len(visits) + DoseChange.objects.count()  # two per visit, one per dose
    assert progress.critical_verified > 2 * (len(visits[::3]) - 1)


def test_changed_since_verification_costs_the_same_for_1_or_4_changed_records(physician, monitor, nurse):
    """The marks whose record moved on are found by the database, and the records come with what their names read
    (patient, visit slot): the page's statements do not grow with its rows."""
    today = date(2026, 6, 1)
    build_study(6, user=physician, today=today)
    visits = list(Visit.objects.order_by("pk")[:8])
    for visit in visits:
        record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=1)

    def changed_after(visit) -> tuple[int, list[str]]:
        visit_update(visit=visit, values=VisitValues(visit.visit_date, visit.platelets + 1, 0), user=nurse,
                     reason="typo", version=visit.version, today=today)
        with CaptureQueriesContext(connection) as captured:
            names = [str(record) for _mark, record in changed_since_verification()]
        return len(captured), names

    at_1, names = changed_after(visits[0])
    assert names == [str(Visit.objects.get(pk=visits[0].pk))]
    for visit in visits[1:4]:
        at_4, names = changed_after(Visit.objects.get(pk=visit.pk))
    assert len(names) == 4 and at_4 == at_1


def test_the_changed_page_pages_through_the_marks_oldest_first(monkeypatch, client, physician, monitor, nurse):
    """The page shows CHANGED_PAGE records at a time (it rendered all of them, up to 500, in one page of 200 KB);
    the pages together hold every changed record once, oldest verification first."""
    monkeypatch.setattr(monitoring_views, "CHANGED_PAGE", 3)
    today = date(2026, 6, 1)
    build_study(4, user=physician, today=today)
    visits = list(Visit.objects.order_by("pk")[:7])
    for visit in visits:
        record_verify(record_type="visit", record_id=visit.pk, user=monitor, version=1)
        visit_update(visit=visit, values=VisitValues(visit.visit_date, visit.platelets + 1, 0), user=nurse,
                     reason="typo", version=visit.version, today=today)
    marks = ChangedMarks()
    assert marks.count() == 7
    everything = [mark.record_id for mark, _record in marks[0:7]]
    assert everything == [v.pk for v in visits]  # verified in this order
    assert [mark.record_id for mark, _record in marks[2:5]] == everything[2:5]
    client.force_login(monitor)
    shown = []
    for number in (1, 2, 3):
        page = client.get(reverse("monitoring:changed"), {"page": number}).content.decode()
        shown += [int(pk) for pk in re.findall(r'data-record="visit-(\d+)"', page)]
        assert f"page {number} of 3" in page
    assert shown == everything
    last = client.get(reverse("monitoring:changed"), {"page": "99"}).content.decode()  # past the end: the last
    assert re.findall(r'data-record="visit-(\d+)"', last) == [str(everything[-1])]
