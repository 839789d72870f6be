"""Every declared record type with an entry goes through the one write path: create and update leave history
with user and reason; an edit needs a reason; a stale version and a locked record are refused, nothing changes.

Parametrised over RECORD_TYPES: a new type with a `create` or `update` must add its example values here, and then
gets all of it for free. Types written only by other services are listed with the test that covers them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casebook.writes import RecordLocked, StaleRecord
from dosing.services import ConMedValues, DoseValues, TroughValues
from itp_trial.casebook import RECORD_TYPES
from patients.off_study import OffStudyValues
from patients.services import Demographics
from safety.services import AeInput, ControlValues, LabInput, LabSampleValues, TregValues
from tests.factories import enrol, enrolment_input, sign_casebook
from visits.services import RescueValues, VisitEntry, VisitValues

START = date(2025, 3, 3)
TODAY = date(2025, 6, 1)
D = Decimal


def day(n: int) -> date:
    return START + timedelta(days=n)


def alt(value) -> LabInput:
    return LabInput(analyte="alt", value=D(value), unit="U/L", uln=D(40))


@dataclass(frozen=True)
class Example:
    create: object | None  # the input of a new record
    update: object | None  # the input of a correction


EXAMPLES = {
    "patient": Example(enrolment_input(start=START),
                       Demographics(sex="female", birth_date=date(1975, 6, 2), diagnosis_date=day(-400),
                                    weight_kg=D("61.0"), early_steroid_effective=True)),
    "visit": Example(VisitEntry("week1", VisitValues(visit_date=day(7), platelets=D(40), bleeding_grade=0)),
                     VisitEntry("week1", VisitValues(visit_date=day(7), platelets=D(45), bleeding_grade=0))),
    "rescue": Example(RescueValues(given_on=day(10), kind="ivig", details="IVIG 1 g/kg"), None),
    "dose": Example(DoseValues(start_date=day(0), mg_per_day=D(2), phase="start"),
                    DoseValues(start_date=day(0), mg_per_day=D(3), phase="start")),
    "trough": Example(TroughValues(sample_date=day(8), ng_ml=D("8.0"), hours_since_dose=D(24)),
                      TroughValues(sample_date=day(8), ng_ml=D("9.0"), hours_since_dose=D(24))),
    "con_med": Example(ConMedValues(name="Omeprazole", start_date=day(5), indication="reflux"),
                       ConMedValues(name="Omeprazole", start_date=day(5), indication="reflux", stop_date=day(20))),
    "lab_sample": Example(LabSampleValues(sample_date=day(14), values=[alt(30)]), None),
    "lab_value": Example(None, alt(35)),  # created with its sample
    "adverse_event": Example(AeInput(term="Diarrhea", grade=1, onset_date=day(12), relation="possible"),
                             AeInput(term="Diarrhea", grade=2, onset_date=day(12), relation="possible")),
    "withdrawal": Example(OffStudyValues(off_study_date=day(30), off_study_reason="moved away"), None),
    "treg": Example(TregValues(timepoint="baseline", percent=D("5.6"), sample_date=day(0)), None),
    "healthy_control": Example(ControlValues(control_id="HC-01", percent=D("5.2")), None),
}
# Written only as part of another type's service, and tested there.
WRITTEN_BY_OTHERS = {
    "eligibility": "patients/tests/test_services.py (enrolment)",
    "consent": "patients/tests/test_services.py (enrolment)",
    "prior_therapy": "patients/tests/test_services.py (enrolment)",
    "ae_proposal": "safety/tests/test_services.py, test_lab_corrections.py (lab values, physician decisions)",
    "signature": "review/tests/test_signoff.py, casebook/tests/test_signing.py",
}
CREATES = [t for t in RECORD_TYPES if t.create]
UPDATES = [t for t in RECORD_TYPES if t.update]
pytestmark = pytest.mark.django_db


def test_every_type_with_an_entry_has_an_example_and_the_others_say_who_writes_them():
    for record_type in RECORD_TYPES:
        if record_type.create or record_type.update:
            example = EXAMPLES[record_type.key]
            assert (example.create is not None) == bool(record_type.create), record_type.key
            assert (example.update is not None) == bool(record_type.update), record_type.key
        else:
            assert record_type.key in WRITTEN_BY_OTHERS, f"{record_type.key}: no entry; say which service writes it"
    assert set(EXAMPLES) | set(WRITTEN_BY_OTHERS) == {t.key for t in RECORD_TYPES}


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=START, today=TODAY)


def create(record_type, patient, user, *, reason="", token=None):
    patient = None if record_type.key in ("patient", "healthy_control") else patient
    return record_type.create(patient=patient, values=EXAMPLES[record_type.key].create, user=user, reason=reason,
                              today=TODAY, token=token)


def existing(record_type, patient, user):
    """A saved record of the type, entered by `user`."""
    if record_type.key == "patient":
        return patient
    if record_type.key == "lab_value":
        sample = create(next(t for t in RECORD_TYPES if t.key == "lab_sample"), patient, user)
        return sample.values.get()
    return create(record_type, patient, user)


def update(record_type, record, user, *, reason="corrected from the source document", version=None):
    return record_type.update(record=record, values=EXAMPLES[record_type.key].update, user=user, reason=reason,
                              version=record.version if version is None else version, today=TODAY)


def history(record):
    return list(type(record).history.filter(id=record.pk).order_by("history_date", "history_id"))


@pytest.mark.parametrize("record_type", CREATES, ids=str)
def test_create_leaves_history_with_user_and_reason(record_type, patient, nurse):
    record = create(record_type, patient, nurse, reason="entered from the source document")
    rows = history(record)
    assert record.version == 1
    assert [(r.history_type, r.history_user, r.history_change_reason, r.version) for r in rows[:1]] == [
        ("+", nurse, "entered from the source document", 1)]


@pytest.mark.parametrize("record_type", UPDATES, ids=str)
def test_update_leaves_history_with_user_and_reason(record_type, patient, nurse, physician):
    record = existing(record_type, patient, nurse)
    before = len(history(record))
    saved = update(record_type, record, physician)
    rows = history(saved)
    assert saved.version == record.version + 1
    assert len(rows) == before + 1
    assert (rows[-1].history_type, rows[-1].history_user, rows[-1].history_change_reason, rows[-1].version) == (
        "~", physician, "corrected from the source document", saved.version)


@pytest.mark.parametrize("record_type", UPDATES, ids=str)
def test_an_edit_without_a_reason_is_refused(record_type, patient, nurse):
    record = existing(record_type, patient, nurse)
    with pytest.raises(ValidationError) as error:
        update(record_type, record, nurse, reason="  ")
    assert "reason" in error.value.message_dict
    assert len(history(record)) == len(history(type(record).objects.get(pk=record.pk)))
    assert type(record).objects.get(pk=record.pk).version == record.version


@pytest.mark.parametrize("record_type", UPDATES, ids=str)
def test_a_stale_version_is_refused_with_what_changed_and_by_whom(record_type, patient, nurse, physician):
    record = existing(record_type, patient, nurse)
    seen = record.version
    update(record_type, record, physician)  # someone else saves first
    rows = len(history(record))
    with pytest.raises(StaleRecord) as error:
        update(record_type, record, nurse, version=seen)
    changes = error.value.changes
    assert (changes.seen_version, changes.current_version) == (seen, seen + 1)
    assert changes.fields and all(change.by == physician.get_full_name() for change in changes.fields)
    assert changes.by == [physician.get_full_name()]
    assert len(history(record)) == rows  # nothing written
    assert type(record).objects.get(pk=record.pk).version == seen + 1


@pytest.mark.parametrize("record_type", [t for t in UPDATES if t.key != "healthy_control"], ids=str)
def test_a_record_inside_a_signed_casebook_cannot_be_edited(record_type, patient, nurse, physician):
    record = existing(record_type, patient, nurse)
    sign_casebook(patient, physician, up_to=TODAY, today=TODAY)
    with pytest.raises(RecordLocked, match="Locked: reviewed and approved by"):
        update(record_type, record, nurse)
    assert type(record).objects.get(pk=record.pk).version == record.version


@pytest.mark.parametrize("record_type", [t for t in CREATES if t.key not in ("patient", "healthy_control")],
                         ids=str)
def test_a_record_dated_inside_a_signed_casebook_cannot_be_added(record_type, patient, nurse, physician):
    sign_casebook(patient, physician, up_to=TODAY, today=TODAY)
    count = record_type.model.objects.count()
    with pytest.raises(RecordLocked):
        create(record_type, patient, nurse)
    assert record_type.model.objects.count() == count
