from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.history import history_rows
from casebook.locks import lock_for
from casebook.models import Signature
from review.services import signature_sign_visit, signature_void
from tests.factories import PASSWORD, enrol, record, sign_casebook, sign_visit
from visits.services import VisitValues, visit_update

START = date(2025, 3, 3)
TODAY = date(2025, 6, 1)
pytestmark = pytest.mark.django_db


class Sig:
    def __init__(self, visit_id=None, up_to=None, voided_at=None):
        self.visit_id, self.up_to, self.voided_at = visit_id, up_to, voided_at


@pytest.mark.parametrize(
    "signatures, locked",
    [
        ([Sig(visit_id=7)], True),
        ([Sig(visit_id=8)], False),
        ([Sig(up_to=date(2025, 3, 10))], True),   # casebook up to the visit's own date
        ([Sig(up_to=date(2025, 3, 9))], False),   # the day before
        ([Sig(visit_id=7, voided_at="x")], False),
        ([Sig(up_to=date(2025, 4, 1), voided_at="x"), Sig(visit_id=7)], True),
    ],
    ids=["own", "other-visit", "casebook-same-day", "casebook-day-before", "voided", "voided-then-signed"],
)
def test_lock_for(signatures, locked):
    assert (lock_for(signed_id=7, dates=[date(2025, 3, 10)], signatures=signatures) is not None) is locked


def correction(visit, platelets=50):
    return VisitValues(visit_date=visit.visit_date, platelets=Decimal(platelets), bleeding_grade=0)


def test_signed_visit_is_locked_until_a_data_manager_unlocks_it(nurse, physician, data_manager):
    patient = enrol(nurse, start=START, today=TODAY)
    visit = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    signature = sign_visit(visit, physician)
    assert (signature.signer_name, signature.meaning) == (physician.get_full_name(), "reviewed and approved")
    assert signature.signed_at.tzinfo is not None

    with pytest.raises(ValidationError, match="Locked: reviewed and approved by"):
        visit_update(visit=visit, values=correction(visit), user=nurse, reason="typo", version=visit.version,
                     today=TODAY)
    visit.refresh_from_db()
    assert visit.platelets == Decimal(40)

    with pytest.raises(PermissionDenied):
        signature_void(signature=signature, user=physician, reason="I want to edit")
    with pytest.raises(ValidationError):
        signature_void(signature=signature, user=data_manager, reason=" ")
    signature_void(signature=signature, user=data_manager, reason="query 12: lab value corrected")
    visit_update(visit=visit, values=correction(visit), user=nurse, reason="query 12", version=visit.version,
                 today=TODAY)
    visit.refresh_from_db()
    assert visit.platelets == Decimal(50)

    rows = history_rows(Signature.objects.get())
    assert rows[-1].action == "created" and rows[-1].who == physician.get_full_name()
    assert any(r.field == "reason for unlocking" and r.new == "query 12: lab value corrected" for r in rows)


def test_wrong_password_signs_nothing(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    visit = patient.visits.get()
    with pytest.raises(ValidationError) as error:
        signature_sign_visit(visit=visit, user=physician, password="not-it", version=visit.version)
    assert error.value.message_dict["password"] == ["The password is not correct; nothing was signed."]
    assert Signature.objects.count() == 0


def test_nurses_cannot_sign(nurse):
    patient = enrol(nurse, start=START, today=TODAY)
    with pytest.raises(PermissionDenied):
        signature_sign_visit(visit=patient.visits.get(), user=nurse, password=PASSWORD, version=1)


def test_casebook_signature_locks_visits_up_to_its_date(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    early = record(patient, nurse, "week1", day=7, platelets=40, today=TODAY)
    late = record(patient, nurse, "week2", day=14, platelets=45, today=TODAY)
    sign_casebook(patient, physician, up_to=START + timedelta(days=7), today=TODAY)
    with pytest.raises(ValidationError, match="Locked"):
        visit_update(visit=early, values=correction(early), user=nurse, reason="x", version=early.version,
                     today=TODAY)
    visit_update(visit=late, values=correction(late, 46), user=nurse, reason="x", version=late.version, today=TODAY)
    with pytest.raises(ValidationError):
        sign_casebook(patient, physician, up_to=TODAY + timedelta(days=1), today=TODAY)


def test_signature_and_unlock_appear_on_the_history_pages(client, nurse, physician, data_manager):
    patient = enrol(nurse, start=START, today=TODAY)
    visit = patient.visits.get()
    signature = sign_visit(visit, physician)
    signature_void(signature=signature, user=data_manager, reason="query 7")
    client.force_login(nurse)
    visit_page = client.get(f"/visits/{visit.pk}/history/", follow=True).content.decode()
    patient_page = client.get(f"/patients/{patient.study_id}/history/", follow=True).content.decode()
    for page in (visit_page, patient_page):
        assert "e-signature: reviewed and approved" in page
        assert "unlocked: query 7" in page


def test_locked_edit_form_is_refused_with_the_reason(client, nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    visit = patient.visits.get()
    sign_visit(visit, physician)
    client.force_login(nurse)
    response = client.get(f"/visits/{visit.pk}/edit/")
    assert response.status_code == 403
    assert "Locked: reviewed and approved by" in response.content.decode()
    response = client.post(f"/visits/{visit.pk}/edit/", {"visit_date": visit.visit_date, "platelets": "99",
                                                         "bleeding_grade": "0", "reason": "x",
                                                         "version": visit.version})
    assert response.status_code == 400
    assert "Locked: reviewed and approved by" in response.content.decode()
    visit.refresh_from_db()
    assert visit.platelets == Decimal(15)


def test_a_casebook_signature_is_never_taken_for_a_records_own_signature():
    casebook = Sig(up_to=date(2025, 3, 9))  # visit_id None, like every casebook signature
    assert lock_for(signed_id=None, dates=[date(2025, 3, 10)], signatures=[casebook]) is None
    assert lock_for(signed_id=None, dates=[date(2025, 3, 9)], signatures=[casebook]) is casebook


def test_casebook_signature_locks_every_dated_record_up_to_its_date(nurse, physician):
    from dosing.tests.factories import con_med, dose, trough
    from safety.tests.builders import alt, event, lab
    from visits.services import rescue_record

    patient = enrol(nurse, start=START, today=TODAY)
    dose(patient, nurse, day=0, mg=2, today=TODAY)
    sign_casebook(patient, physician, up_to=START + timedelta(days=10), today=TODAY)
    inside, after = 9, 11
    writes = {
        "visit": lambda day: record(patient, nurse, "unscheduled", day=day, platelets=40, today=TODAY),
        "dose": lambda day: dose(patient, nurse, day=day, mg=1, today=TODAY),
        "trough": lambda day: trough(patient, nurse, day=day, ng_ml="8", today=TODAY),
        "con_med": lambda day: con_med(patient, nurse, name="Omeprazole", day=day, today=TODAY),
        "lab": lambda day: lab(patient, nurse, on=START + timedelta(days=day), values=[alt(30)], today=TODAY),
        "adverse_event": lambda day: event(patient, nurse, on=START + timedelta(days=day), today=TODAY),
        "rescue": lambda day: rescue_record(patient=patient, given_on=START + timedelta(days=day), kind="ivig",
                                            details="", user=nurse, today=TODAY),
    }
    for name, write in writes.items():
        with pytest.raises(ValidationError, match="Locked: reviewed and approved"):
            write(inside)
        assert write(after) is not None, name


def test_patient_page_hides_edit_links_of_records_inside_a_signed_casebook(client, nurse, physician):
    from dosing.tests.factories import dose, trough
    from safety.tests.builders import alt, lab

    patient = enrol(nurse, start=START, today=TODAY)
    first = dose(patient, nurse, day=0, mg=2, today=TODAY)
    early = trough(patient, nurse, day=8, ng_ml="8", today=TODAY)
    late = trough(patient, nurse, day=20, ng_ml="9", today=TODAY)
    value = lab(patient, nurse, on=START + timedelta(days=8), values=[alt(30)], today=TODAY).values.get()
    sign_casebook(patient, physician, up_to=START + timedelta(days=10), today=TODAY)
    client.force_login(nurse)
    page = client.get(f"/patients/{patient.study_id}/").content.decode()
    assert f"/dosing/troughs/{late.pk}/edit/" in page
    for hidden in (f"/dosing/troughs/{early.pk}/edit/", f"/dosing/doses/{first.pk}/edit/",
                   f"/safety/lab-values/{value.pk}/edit/"):
        assert hidden not in page
