"""Correcting a saved lab value: regraded, the proposal follows, a confirmed AE is flagged for review."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from inbox.models import Reminder
from safety.models import AeProposal, LabValue
from safety.services import AeInput, LabInput, ae_proposal_confirm, lab_value_update
from safety.tests.builders import alt, lab
from tests.factories import enrol
from tests.pages import post_form

DAY0 = date(2026, 3, 2)
LATER = DAY0 + timedelta(days=14)
pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=DAY0, today=LATER)


def correct(value, user, new, uln=40, reason="transcription error"):
    return lab_value_update(lab_value=value, values=LabInput("alt", D(new), "U/L", uln=D(uln)), user=user,
                            version=value.version, reason=reason, today=LATER)


@pytest.mark.parametrize(
    "saved, corrected, status, grade",
    [(100, 110, "proposed", 1), (100, 250, "proposed", 3), (100, 38, "dismissed", 1)],  # ULN 40
    ids=["still-grade-1", "now-grade-3", "no-longer-graded"],
)
def test_an_open_proposal_follows_the_corrected_value(patient, nurse, saved, corrected, status, grade):
    value = lab(patient, nurse, on=LATER, values=[alt(saved)], today=LATER).values.get()
    corrected_value = correct(value, nurse, corrected)
    proposal = AeProposal.objects.get()
    assert (proposal.status, proposal.grade) == (status, grade)
    assert corrected_value.grade == (None if status == "dismissed" else grade)
    latest = corrected_value.history.order_by("-history_date").first()
    assert (latest.history_user, latest.history_change_reason, latest.value) == (nurse, "transcription error",
                                                                                 D(corrected))


def test_a_value_that_now_grades_proposes_an_adverse_event(patient, nurse):
    value = lab(patient, nurse, on=LATER, values=[alt(30)], today=LATER).values.get()
    assert not AeProposal.objects.exists()
    correct(value, nurse, 90)
    assert AeProposal.objects.get().grade == 1
    assert Reminder.objects.filter(kind="ae_proposed", audience="physician").count() == 1


def test_a_confirmed_adverse_event_stays_and_the_physicians_are_asked_to_review(patient, nurse, physician):
    value = lab(patient, nurse, on=LATER, values=[alt(100)], today=LATER).values.get()
    event = ae_proposal_confirm(proposal=AeProposal.objects.get(), user=physician, today=LATER,
                                data=AeInput(term="", grade=1, onset_date=LATER, relation="possible")).event
    correct(value, nurse, 300)
    event.refresh_from_db()
    assert event.grade == 1
    review = Reminder.objects.get(kind="ae_review")
    assert review.audience == "physician" and "corrected (grade 3)" in review.text


def test_a_correction_needs_a_reason_and_keeps_the_saved_value(patient, nurse):
    value = lab(patient, nurse, on=LATER, values=[alt(100)], today=LATER).values.get()
    with pytest.raises(ValidationError):
        correct(value, nurse, 20, reason=" ")
    with pytest.raises(ValidationError) as error:
        lab_value_update(lab_value=value, values=LabInput("alt", D(20), "mg/dL", uln=D(40)), user=nurse,
                         version=value.version, reason="unit", today=LATER)
    assert error.value.message_dict["unit"] == ["ALT is reported in U/L."]
    assert LabValue.objects.get().value == D(100)


def test_the_correction_page_regrades_and_shows_the_history(client, patient, nurse):
    value = lab(patient, nurse, on=LATER, values=[alt(100)], today=LATER).values.get()
    client.force_login(nurse)
    page = client.get(f"/safety/lab-values/{value.pk}/edit/").content.decode()
    assert "ALT" in page or "Alanine" in page
    response = post_form(client, f"/safety/lab-values/{value.pk}/edit/",
                           {"value": "38", "unit": "U/L", "uln": "40", "lln": "", "reason": ""})
    assert response.status_code == 400 and "Give a reason for changing a saved record." in response.content.decode()
    response = post_form(client, f"/safety/lab-values/{value.pk}/edit/",
                           {"value": "38", "unit": "U/L", "uln": "40", "lln": "", "reason": "re-run sample"})
    assert response.status_code == 302
    assert AeProposal.objects.get().status == "dismissed"
