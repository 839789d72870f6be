"""Demographics and ITP history, Treg values, off-study and withdrawal records follow the casebook lock."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from patients.off_study import withdrawal_complete
from patients.services import patient_update
from safety.services import treg_record
from safety.tests.builders import event
from tests.factories import enrol, sign_casebook

START = date(2025, 3, 3)
TODAY = date(2025, 6, 1)
pytestmark = pytest.mark.django_db


def _sign(patient, physician, *, day: int):
    sign_casebook(patient, physician, up_to=START + timedelta(days=day), today=TODAY)


def test_demographics_lock_with_the_casebook(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    _sign(patient, physician, day=0)
    with pytest.raises(ValidationError, match="Locked"):
        patient_update(patient=patient, changes={"birth_date": date(1980, 1, 1)}, user=nurse, reason="typo",
                       version=patient.version, today=TODAY)
    patient.refresh_from_db()
    assert patient.birth_date == date(1975, 6, 1)


def test_treg_value_inside_a_signed_casebook_is_refused(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    _sign(patient, physician, day=30)
    with pytest.raises(ValidationError, match="Locked"):
        treg_record(patient=patient, timepoint="baseline", percent=Decimal("5.1"), sample_date=START, user=nurse,
                    today=TODAY)


def test_off_study_inside_a_signed_casebook_is_refused(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    _sign(patient, physician, day=30)
    with pytest.raises(ValidationError, match="Locked"):
        withdrawal_complete(patient=patient, off_study_date=START + timedelta(days=20), off_study_reason="moved",
                            user=physician, today=TODAY)


def test_a_withdrawal_marked_inside_a_signed_casebook_is_locked(nurse, physician):
    patient = enrol(nurse, start=START, today=TODAY)
    event(patient, nurse, on=START + timedelta(days=10), grade=3, today=START + timedelta(days=10))
    _sign(patient, physician, day=30)
    with pytest.raises(ValidationError, match="Locked"):
        withdrawal_complete(patient=patient, off_study_date=START + timedelta(days=40), off_study_reason="AE",
                            user=physician, today=TODAY)


def test_a_proposal_from_a_lab_inside_a_signed_casebook_is_decided_after_an_unlock(nurse, physician):
    from safety.models import AeProposal
    from safety.services import AeInput, ae_proposal_confirm
    from safety.tests.builders import alt, lab

    patient = enrol(nurse, start=START, today=TODAY)
    lab(patient, nurse, on=START + timedelta(days=14), values=[alt(100)], today=TODAY)
    _sign(patient, physician, day=30)
    proposal = AeProposal.objects.get()
    with pytest.raises(ValidationError, match="Locked"):
        ae_proposal_confirm(proposal=proposal, user=physician, version=proposal.version, today=TODAY,
                            data=AeInput(term=proposal.term, grade=proposal.grade, onset_date=START,
                                         relation="possible"))
    assert AeProposal.objects.get().status == "proposed"
