"""Lab panels propose AEs; a physician confirms or dismisses; grade ≥3 opens withdrawal; Treg and controls."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from inbox.models import Reminder
from patients.models import Withdrawal
from patients.off_study import withdrawal_complete
from safety.models import AdverseEvent, AeProposal, LabSample, LabValue, Outcome
from safety.services import (
    AeInput,
    LabInput,
    adverse_event_update,
    ae_proposal_confirm,
    ae_proposal_dismiss,
    healthy_control_record,
    lab_sample_record,
    treg_record,
)
from safety.tests.builders import alt, event, lab
from tests.factories import enrol

pytestmark = pytest.mark.django_db
DAY0 = date(2026, 3, 2)
LATER = DAY0 + timedelta(days=14)


@pytest.fixture
def patient(nurse):
    return enrol(nurse, start=DAY0)


def confirm_input() -> AeInput:
    return AeInput(term="ignored", grade=9, onset_date=DAY0, relation="possible", action="none")


def test_alt_at_2_5_uln_proposes_grade_1_for_physicians_and_records_nothing_else(patient, nurse):
    sample = lab(patient, nurse, on=LATER, values=[alt(100), LabInput("ast", D(30), "U/L", uln=D(40))])
    proposal = AeProposal.objects.get()
    assert str(proposal) == "Alanine aminotransferase increased, grade 1, from the lab of 2026-03-16"
    assert proposal.status == "proposed" and proposal.lab_value.sample == sample
    assert not AdverseEvent.objects.exists()  # nothing recorded silently
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.audience, reminder.due_date) == ("ae_proposed", "physician", LATER)
    ast = sample.values.get(analyte="ast")
    assert ast.grade is None and not AeProposal.objects.filter(lab_value=ast).exists()


def test_confirm_creates_the_ae_linked_to_the_lab(patient, nurse, physician):
    lab(patient, nurse, on=LATER, values=[alt(100)])
    proposal = AeProposal.objects.get()
    ae = ae_proposal_confirm(proposal=proposal, data=confirm_input(), user=physician, today=LATER).event
    assert (ae.term, ae.grade, ae.onset_date, ae.meddra_code, ae.coded) == (
        "Alanine aminotransferase increased", 1, LATER, "10001551", True)
    assert ae.lab_value == proposal.lab_value
    proposal.refresh_from_db()
    assert (proposal.status, proposal.adverse_event, proposal.decided_by) == ("confirmed", ae, physician)
    with pytest.raises(ValidationError, match="already confirmed"):
        ae_proposal_confirm(proposal=proposal, data=confirm_input(), user=physician, today=LATER)


def test_dismiss_needs_a_reason_and_creates_no_ae(patient, nurse, physician):
    lab(patient, nurse, on=LATER, values=[alt(100)])
    proposal = AeProposal.objects.get()
    with pytest.raises(ValidationError) as error:
        ae_proposal_dismiss(proposal=proposal, reason=" ", user=physician)
    assert "dismiss_reason" in error.value.message_dict
    ae_proposal_dismiss(proposal=proposal, reason="haemolysed sample", user=physician, today=LATER)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.dismiss_reason) == ("dismissed", "haemolysed sample")
    assert not AdverseEvent.objects.exists()


def test_baseline_labs_set_bl_and_propose_nothing(patient, nurse):
    lab(patient, nurse, on=DAY0, values=[alt(60)])  # abnormal baseline: 1.5×ULN
    assert not AeProposal.objects.exists()
    lab(patient, nurse, on=LATER, values=[alt(85)])  # 2.125×ULN but < 1.5×BL (90): grade 0 with BL abnormal
    assert not AeProposal.objects.exists()
    value = lab(patient, nurse, on=LATER + timedelta(days=1), values=[alt(90)]).values.get()
    assert (value.grade, value.baseline_std) == (1, D("60.0000"))


def test_units_are_converted_before_grading(patient, nurse):
    sample = lab(patient, nurse, on=LATER, values=[
        LabInput("creatinine", D("2.0"), "mg/dL", uln=D("1.2")),  # 176.8 µmol/L vs 106.08: 1.67×ULN → 2
        LabInput("total_cholesterol", D("320"), "mg/dL", uln=D("200")),  # >300 mg/dL → 2
    ])
    creatinine = sample.values.get(analyte="creatinine")
    assert (creatinine.value_std, creatinine.grade) == (D("176.8000"), 2)
    assert sample.values.get(analyte="total_cholesterol").grade == 2
    assert AeProposal.objects.count() == 2
    assert Reminder.objects.count() == 1  # one reminder per patient and lab date


def test_lab_problems_are_keyed_by_field_and_nothing_is_saved(patient, nurse):
    with pytest.raises(ValidationError) as error:
        lab_sample_record(patient=patient, sample_date=LATER, user=nurse, today=LATER - timedelta(days=1), values=[
            LabInput("alt", D(50), "mg/dL", uln=D(40)), LabInput("ast", D(50), "U/L", uln=D(40), lln=D(45))])
    problems = error.value.message_dict
    assert problems["sample_date"] == ["Cannot be in the future."]
    assert problems["alt_unit"] == ["ALT is reported in U/L."]
    assert problems["ast_lln"] == ["Must be below the ULN."]
    with pytest.raises(ValidationError, match="at least one"):
        lab_sample_record(patient=patient, sample_date=LATER, user=nurse, today=LATER, values=[])
    assert not LabSample.objects.exists() and not LabValue.objects.exists()


def test_missing_uln_stores_the_value_without_grade(patient, nurse):
    value = lab(patient, nurse, on=LATER, values=[LabInput("alt", D(900), "U/L")]).values.get()
    assert value.grade is None and not AeProposal.objects.exists()


def test_grade_3_opens_withdrawal_once_and_off_study_completes_it(patient, nurse, physician):
    first = event(patient, nurse, on=LATER, term="Diarrhea", grade=3)
    event(patient, nurse, on=LATER, term="Mucositis oral", grade=4)
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.adverse_event, withdrawal.marked_on, withdrawal.completed) == (first, LATER, False)
    assert list(Reminder.objects.values_list("kind", "audience")) == [("withdrawal", "physician")]
    with pytest.raises(ValidationError) as error:
        withdrawal_complete(patient=patient, off_study_date=LATER, off_study_reason="", user=physician, today=LATER)
    assert "off_study_reason" in error.value.message_dict
    withdrawal_complete(patient=patient, off_study_date=LATER, off_study_reason="grade 3 diarrhea", user=physician,
                        today=LATER)
    withdrawal.refresh_from_db()
    assert withdrawal.completed and withdrawal.history.first().history_user == physician
    with pytest.raises(ValidationError, match="already off study"):
        withdrawal_complete(patient=patient, off_study_date=LATER, off_study_reason="again", user=physician,
                            today=LATER)


@pytest.mark.parametrize("grade, action, withdrawn", [(2, "none", False), (2, "withdrawn", True), (3, "none", True),
                                                      (1, "dose_reduced", False)],
                         ids=["grade2", "grade2-action-withdrawn", "grade3", "grade1-dose-reduced"])
def test_withdrawal_starts_at_grade_3_or_when_the_action_is_withdrawn(patient, nurse, grade, action, withdrawn):
    event(patient, nurse, on=LATER, grade=grade, action=action)
    assert Withdrawal.objects.exists() is withdrawn


def test_grade_2_does_not_withdraw_but_raising_it_to_3_does(patient, nurse, physician):
    ae = event(patient, nurse, on=LATER, grade=2)
    assert not Withdrawal.objects.exists()
    data = AeInput(term="Diarrhea", grade=3, onset_date=LATER, relation="probable")
    with pytest.raises(ValidationError, match="reason"):
        adverse_event_update(event=ae, version=ae.version, data=data, user=physician, reason="", today=LATER)
    adverse_event_update(event=ae, version=ae.version, data=data, user=physician, reason="worse on review", today=LATER)
    assert Withdrawal.objects.get().adverse_event == ae


@pytest.mark.parametrize("changes, field, message", [
    ({"grade": 5}, "death_date", "Grade 5 (death): enter the date of death."),
    ({"grade": 4, "term": "Arthralgia"}, "grade", "Arthralgia is graded 1, 2, 3 in CTCAE v5.0."),
    ({"onset_date": DAY0 - timedelta(days=1)}, "onset_date", "Cannot be before day 0 (2026-03-02); earlier "
                                                             "events are history."),
    ({"end_date": LATER - timedelta(days=1)}, "end_date", "Cannot be before the onset date."),
    ({"death_date": LATER}, "death_date", "Only a grade 5 event has a date of death."),
])
def test_adverse_event_rules(patient, nurse, changes, field, message):
    values = {"term": "Diarrhea", "grade": 1, "onset_date": LATER, **changes}
    with pytest.raises(ValidationError) as error:
        event(patient, nurse, on=values.pop("onset_date"), **values)
    assert message in error.value.message_dict[field]
    assert not AdverseEvent.objects.exists()


def test_grade_5_with_death_date_and_uncoded_terms(patient, nurse):
    fatal = event(patient, nurse, on=LATER, grade=5, death_date=LATER, outcome=Outcome.FATAL)
    assert fatal.death_date == LATER and Withdrawal.objects.exists()
    other = event(patient, nurse, on=LATER, term="Alopecia areata patch", grade=1)
    assert (other.coded, other.meddra_code, other.soc) == (False, "", "")


def test_treg_once_per_timepoint_and_controls_once_per_id(patient, nurse):
    treg_record(patient=patient, timepoint="baseline", percent=D("5.6"), sample_date=DAY0, user=nurse, today=DAY0)
    with pytest.raises(ValidationError, match="already recorded"):
        treg_record(patient=patient, timepoint="baseline", percent=D("5.7"), sample_date=DAY0, user=nurse,
                    today=DAY0)
    healthy_control_record(control_id="HC-01", percent=D("5.2"), sample_date=None, user=nurse)
    with pytest.raises(ValidationError, match="already registered"):
        healthy_control_record(control_id="HC-01", percent=D("5.3"), sample_date=None, user=nurse)
