"""A signature carries what the physician saw: refused when anything it covers changed since the sign page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casebook.models import Signature
from casebook.snapshots import Snapshot, StaleCasebook, casebook_content
from casebook.writes import StaleRecord
from dosing.tests.factories import trough
from review.services import signature_sign_casebook, signature_sign_visit
from tests.factories import PASSWORD, enrol, record
from tests.pages import hidden_fields
from visits.services import VisitValues, visit_update

START = date(2025, 3, 3)
TODAY = date(2025, 6, 1)
pytestmark = pytest.mark.django_db


def correct(visit, nurse, platelets):
    return visit_update(visit=visit, user=nurse, reason="transcription", version=visit.version, today=TODAY,
                        values=VisitValues(visit_date=visit.visit_date, platelets=Decimal(platelets),
                                           bleeding_grade=0))


def test_a_visit_changed_since_the_sign_page_is_not_signed(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    seen = visit.version
    correct(visit, nurse, 55)
    with pytest.raises(StaleRecord) as error:
        signature_sign_visit(visit=visit, user=physician, password=PASSWORD, version=seen)
    assert [(c.label, c.seen, c.now, c.by) for c in error.value.changes.fields] == [
        ("platelet count (×10⁹/L)", "40.0", "55.0", nurse.get_full_name())]
    assert not Signature.objects.exists()
    signature = signature_sign_visit(visit=visit, user=physician, password=PASSWORD, version=seen + 1)
    assert signature.content_digest == Snapshot(up_to=None, entries=(("visit", visit.pk, seen + 1),)).digest()


def test_a_casebook_changed_since_the_sign_page_is_not_signed_and_each_change_is_named(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    up_to = START + timedelta(days=20)
    seen = casebook_content(patient_id=patient.pk, up_to=up_to).snapshot
    assert ("visit", visit.pk, 1) in seen.entries and ("patient", patient.pk, 1) in seen.entries
    correct(visit, nurse, 55)  # a nurse corrects a count while the physician reads the casebook
    level = trough(patient, nurse, day=9, ng_ml="8", today=TODAY)  # and enters a level
    level.refresh_from_db()
    with pytest.raises(StaleCasebook) as error:
        signature_sign_casebook(patient=patient, up_to=up_to, user=physician, password=PASSWORD, seen=seen,
                                today=TODAY)
    found = {(d.kind, d.label, d.record) for d in error.value.differences}
    assert found == {("changed", "Visit", str(visit)), ("new", "Trough level", str(level))}
    changed = next(d for d in error.value.differences if d.kind == "changed")
    assert [(c.seen, c.now, c.by) for c in changed.changes.fields] == [("40.0", "55.0", nurse.get_full_name())]
    assert str(visit) in error.value.messages[0]
    assert not Signature.objects.exists()

    now = casebook_content(patient_id=patient.pk, up_to=up_to).snapshot
    signature = signature_sign_casebook(patient=patient, up_to=up_to, user=physician, password=PASSWORD, seen=now,
                                        today=TODAY)
    assert signature.content_digest == now.digest()


def test_records_after_the_date_do_not_matter_but_another_date_must_be_reviewed(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    up_to = START + timedelta(days=5)
    seen = casebook_content(patient_id=patient.pk, up_to=up_to).snapshot
    record(patient, nurse, "week2", day=14, platelets=40, today=TODAY)  # after the date signed
    with pytest.raises(ValidationError) as error:
        signature_sign_casebook(patient=patient, up_to=up_to + timedelta(days=1), user=physician, password=PASSWORD,
                                seen=seen, today=TODAY)
    assert "up_to" in error.value.message_dict
    signature_sign_casebook(patient=patient, up_to=up_to, user=physician, password=PASSWORD, seen=seen, today=TODAY)


def test_the_snapshot_cannot_be_edited_in_the_browser():
    token = Snapshot(up_to=TODAY, entries=(("visit", 1, 1),)).token()
    assert Snapshot.from_token(token).entries == (("visit", 1, 1),)
    with pytest.raises(ValidationError):
        Snapshot.from_token(token.replace(":", ";", 1) + "x")


def test_the_sign_page_refuses_with_the_changed_record_named(client, nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    client.force_login(physician)
    url = f"/review/patients/{patient.study_id}/sign/?up_to={TODAY}"
    page = client.get(url).content.decode()
    assert str(visit) in page  # the page lists what the signature locks
    hidden = hidden_fields(client, url)
    correct(visit, nurse, 55)
    response = client.post(url, {**hidden, "up_to": TODAY.isoformat(), "password": PASSWORD})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Nothing was signed" in text and str(visit) in text and nurse.get_full_name() in text
    assert not Signature.objects.exists()
    again = hidden_fields(client, url)  # the page as it is now: the physician reviews it and signs
    assert client.post(url, {**again, "up_to": TODAY.isoformat(), "password": PASSWORD}).status_code == 302
    assert Signature.objects.get().up_to == TODAY
