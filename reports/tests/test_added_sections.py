"""The sections added with the export (eligibility, consent, prior therapy details, rescue therapy, AE proposal
decisions, off study, Treg dates, signatures): every problem reported with its JSON path, nothing written."""

import pytest

from reports.importer import ImportRefused, study_import

from .documents import START, TODAY, document, on, patient, visit
from .test_interchange import plan_of

LABS = [{"date": on(28), "values": [{"analyte": "alt", "value": 130, "unit": "U/L", "uln": 40}]}]

BAD = [
    ("eligibility-not-object", {"eligibility": True}, "patients[0].eligibility: must be an object"),
    ("eligibility-unknown-key", {"eligibility": {"checked_on": on(-1), "spleen": True}},
     "patients[0].eligibility: unknown key 'spleen'"),
    ("eligibility-future", {"eligibility": {"checked_on": "2026-01-01"}},
     "patients[0].eligibility.checked_on: cannot be in the future"),
    ("eligibility-tick-not-bool", {"eligibility": {"checked_on": on(-1), "primary_itp": "yes"}},
     "patients[0].eligibility.primary_itp: must be true or false"),
    ("consent-without-version", {"consent": {"date": on(-1), "obtained_by": "Dr A"}},
     "patients[0].consent.form_version: is required"),
    ("prior-therapy-object-unknown", {"prior_therapies": [{"therapy": "magic"}]},
     "patients[0].prior_therapies[0].therapy: unknown therapy 'magic'; use one of glucocorticoids, ivig, "
     "cyclosporine, tpo_ra, eltrombopag, azathioprine, tcm, rituximab, other"),
    ("prior-therapy-bad-stop", {"prior_therapies": [{"therapy": "ivig", "stop_date": "soon"}]},
     "patients[0].prior_therapies[0].stop_date: 'soon' is not a date written YYYY-MM-DD"),
    ("rescue-unknown-kind", {"rescue_therapies": [{"date": on(20), "kind": "prayer"}]},
     "patients[0].rescue_therapies[0].kind: must be one of ivig, transfusion, glucocorticoid, new_itp_drug"),
    ("rescue-future", {"rescue_therapies": [{"date": "2026-01-01", "kind": "ivig"}]},
     "patients[0].rescue_therapies[0].date: cannot be in the future"),
    ("proposal-unknown-status", {"labs": LABS, "ae_proposals": [
        {"date": on(28), "analyte": "alt", "status": "maybe", "decided_on": on(29)}]},
     "patients[0].ae_proposals[0].status: must be one of confirmed, dismissed"),
    ("proposal-dismissed-without-reason", {"labs": LABS, "ae_proposals": [
        {"date": on(28), "analyte": "alt", "status": "dismissed", "decided_on": on(29)}]},
     "patients[0].ae_proposals[0].dismiss_reason: is required"),
    ("proposal-decided-before-sample", {"labs": LABS, "ae_proposals": [
        {"date": on(28), "analyte": "alt", "status": "confirmed", "decided_on": on(27)}]},
     "patients[0].ae_proposals[0].decided_on: cannot be before the sample date"),
    ("proposal-dismissed-with-event-values", {"labs": LABS, "ae_proposals": [
        {"date": on(28), "analyte": "alt", "status": "dismissed", "decided_on": on(29), "dismiss_reason": "x",
         "serious": True}]},
     "patients[0].ae_proposals[0]: a dismissed proposal has no adverse event values"),
    ("off-study-without-reason", {"off_study": {"date": on(40)}}, "patients[0].off_study.reason: is required"),
    ("off-study-before-day-0", {"off_study": {"date": on(-1), "reason": "moved"}},
     f"patients[0].off_study.date: cannot be before the start date {START} (day 0)"),
    ("treg-date-alone", {"treg_after_date": on(90)},
     "patients[0].treg_after_date: is given without treg_after"),
    ("signature-neither", {"signatures": [{"signed_by": "Dr A", "signed_at": f"{on(1)}T10:00:00Z"}]},
     "patients[0].signatures[0]: give either visit_date (a visit's signature) or up_to (a casebook's)"),
    ("signature-both", {"signatures": [{"visit_date": on(0), "up_to": on(7), "signed_by": "Dr A",
                                        "signed_at": f"{on(1)}T10:00:00Z"}]},
     "patients[0].signatures[0]: give either visit_date (a visit's signature) or up_to (a casebook's)"),
    ("signature-local-time", {"signatures": [{"visit_date": on(0), "signed_by": "Dr A",
                                              "signed_at": f"{on(1)} 10:00"}]},
     "patients[0].signatures[0].signed_at: must be a UTC time written YYYY-MM-DDTHH:MM:SSZ"),
    ("signature-unlock-reason-alone", {"signatures": [{"visit_date": on(0), "signed_by": "Dr A",
                                                       "signed_at": f"{on(1)}T10:00:00Z", "unlock_reason": "x"}]},
     "patients[0].signatures[0].unlock_reason: is given without unlocked_at"),
]


@pytest.mark.parametrize(("extra", "problem"), [(extra, problem) for _, extra, problem in BAD],
                         ids=[name for name, _, _ in BAD])
def test_a_bad_added_section_is_reported_with_its_path(extra, problem):
    doc = document(patient(1, visits=[visit("week1", 7, 25)], **extra))
    _, problems = plan_of(doc, today=TODAY)
    assert problem in problems


@pytest.mark.django_db
def test_a_decision_on_a_proposal_the_labs_do_not_raise_refuses_the_whole_import(data_manager):
    quiet = [{"date": on(28), "values": [{"analyte": "alt", "value": 30, "unit": "U/L", "uln": 40}]}]
    doc = document(patient(1, visits=[visit("week1", 7, 25)], labs=quiet, ae_proposals=[
        {"date": on(28), "analyte": "alt", "status": "dismissed", "decided_on": on(29), "dismiss_reason": "x"}]))
    with pytest.raises(ImportRefused) as refused:
        study_import(document=doc, user=data_manager, reason="test", today=TODAY)
    assert refused.value.problems == [
        f"patients[0].ae_proposals[0]: the labs propose no adverse event for alt on {on(28)}"]
    from patients.models import Patient

    assert not Patient.objects.exists()


@pytest.mark.django_db
def test_a_signature_on_a_day_without_a_visit_refuses_the_whole_import(data_manager):
    doc = document(patient(1, visits=[visit("week1", 7, 25)], signatures=[
        {"visit_date": on(3), "signed_by": "Dr A", "signed_at": f"{on(4)}T10:00:00Z"}]))
    with pytest.raises(ImportRefused) as refused:
        study_import(document=doc, user=data_manager, reason="test", today=TODAY)
    assert refused.value.problems == [f"patients[0].signatures[0].visit_date: ITP-001 has no visit on {on(3)}"]


@pytest.mark.django_db
def test_an_imported_signature_locks_what_it_covers(data_manager, nurse):
    from decimal import Decimal

    from casebook.writes import RecordLocked
    from visits.models import Visit
    from visits.services import VisitValues, visit_update

    doc = document(patient(1, visits=[visit("week1", 7, 25)], signatures=[
        {"up_to": on(7), "signed_by": "Dr A", "signed_at": f"{on(8)}T10:00:00Z"}]))
    study_import(document=doc, user=data_manager, reason="test", today=TODAY)
    week1 = Visit.objects.get(slot__code="week1")
    with pytest.raises(RecordLocked):
        visit_update(visit=week1, values=VisitValues(visit_date=week1.visit_date, platelets=Decimal(30),
                                                     bleeding_grade=0),
                     user=nurse, reason="late lab", version=week1.version, today=TODAY)
