"""The import writes in bulk: a fixed number of statements however many patients, each row with its history row
by the importing user with the reason, and the same values the services write one record at a time."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dosing.models import ConMed, DoseChange, Trough
from patients.models import Consent, Eligibility, Patient, PriorTherapy, StudyIdSequence
from reports.importer import study_import
from reports.interchange import document_plan
from safety.models import AdverseEvent, AeProposal, HealthyControl, LabSample, LabValue, TregMeasurement
from safety.services import lab_sample_record
from visits.enrolment import patient_enrol
from visits.models import RescueTherapy, ResponseSummary, ScheduledVisit, Visit
from visits.schedule import PROTOCOL_SCHEDULE
from visits.services import visit_record

from .documents import document, patient, visit

pytestmark = pytest.mark.django_db
REASON = "imported from legacy.json"
TODAY = date(2025, 12, 31)
CHECKLIST = {"checked_on": "2025-01-03", "primary_itp": True, "two_low_counts": True, "normal_morphology": True,
             "no_splenomegaly": True, "megakaryocytes_normal": True, "secondary_causes_excluded": True,
             "first_line_failed": True, "second_line_washout": True, "washout_warning_acknowledged": True}
CONSENT = {"date": "2025-01-03", "form_version": "2.1", "obtained_by": "Dr Example"}


def full_patient(n: int) -> dict:
    """Enrolment with checklist, consent, two prior therapies, baseline and 7 more visits (one unscheduled)."""
    counts = [(n * 7 + i * 13) % 160 + 5 for i in range(7)]
    return patient(n, baseline=10 + n % 9, eligibility=CHECKLIST, consent=CONSENT, visits=[
        visit("week1", 7, counts[0]), visit("week2", 14, counts[1], who_bleeding_grade=n % 3, bleeding=...),
        visit("unscheduled", 17, counts[2]), visit("week3", 21, counts[3]), visit("month1", 28, counts[4]),
        visit("month2", 56, counts[5], bleeding=n % 4 == 0), visit("month3", 84, counts[6])])


def statements(doc: dict, user) -> int:
    with CaptureQueriesContext(connection) as captured:
        study_import(document=doc, user=user, reason=REASON, today=TODAY)
    return len(captured)


def test_the_number_of_statements_does_not_grow_with_the_patients(nurse):
    statements(document(full_patient(1)), nurse)  # the first import also creates the study id sequence
    few = statements(document(*(full_patient(n) for n in range(2, 4))), nurse)
    many = statements(document(*(full_patient(n) for n in range(4, 24))), nurse)
    assert Patient.objects.count() == 23 and Visit.objects.count() == 23 * 8
    assert many == few
    assert few <= 20


def sections_patient(n: int) -> dict:
    """full_patient with a row in every section the import writes in bulk: rescue therapy, doses, troughs,
    concomitant medication, adverse events (none starting withdrawal), labs (none proposing an adverse event) and
    Treg values."""
    start = date(2025, 1, 6)
    on = lambda day: (start + timedelta(days=day)).isoformat()  # noqa: E731
    return {**full_patient(n),
            "rescue_therapies": [{"date": on(30), "kind": "ivig", "details": "1 g/kg"}],
            "doses": [{"date": on(0), "mg_per_day": 2}, {"date": on(28), "mg_per_day": 2.5, "reason": "low trough"},
                      {"date": on(60), "mg_per_day": 0}],
            "troughs": [{"date": on(21), "ng_ml": 3.5, "time": "08:30", "hours_since_dose": 23, "lab": "Central"},
                        {"date": on(49), "ng_ml": 6.1}],
            "con_meds": [{"name": "Prednisone", "start_date": on(-10), "stop_date": on(20), "indication": "ITP",
                          "dose": "10 mg", "glucocorticoid_taper": True}],
            "adverse_events": [{"term": "Diarrhea", "grade": 1, "onset": on(40), "resolved": True,
                                "end_date": on(45)}, {"term": "acne", "grade": 2, "onset": on(50)}],
            "labs": [{"date": on(0), "laboratory": "Central", "values": [
                         {"analyte": "alt", "value": 20, "unit": "U/L", "uln": 40},
                         {"analyte": "total_cholesterol", "value": 190, "unit": "mg/dL", "uln": 200}]},
                     {"date": on(28), "values": [{"analyte": "alt", "value": 35, "unit": "U/L", "uln": 40}]}],
            "treg_before": 5.6, "treg_before_date": on(0), "treg_after": 7.8}


def controls(*numbers: int) -> list[dict]:
    return [{"control_id": f"HC-{n:03d}", "treg": 5 + n % 3} for n in numbers]


def test_the_sections_written_in_bulk_take_as_many_statements_for_20_patients_as_for_2(nurse):
    statements(document(sections_patient(1)), nurse)  # the first import also creates the study id sequence
    few = statements(document(*(sections_patient(n) for n in range(2, 4)), controls=controls(1, 2)), nurse)
    many = statements(document(*(sections_patient(n) for n in range(4, 24)), controls=controls(*range(3, 23))),
                      nurse)
    assert (Patient.objects.count(), DoseChange.objects.count(), Trough.objects.count(), ConMed.objects.count(),
            RescueTherapy.objects.count(), AdverseEvent.objects.count(), TregMeasurement.objects.count(),
            HealthyControl.objects.count(), LabSample.objects.count(), LabValue.objects.count()) == (
        23, 69, 46, 23, 23, 46, 46, 22, 46, 69)
    assert many == few
    assert few <= 20


def test_the_sections_rows_have_their_history_rows_and_count_a_rescue_in_the_response(nurse):
    study_import(document=document(sections_patient(1), sections_patient(2), controls=controls(1)), user=nurse,
                 reason=REASON, today=TODAY)
    for model in (DoseChange, Trough, ConMed, RescueTherapy, AdverseEvent, TregMeasurement, HealthyControl,
                  LabSample, LabValue):
        rows = list(model.history.all())
        assert len(rows) == model.objects.count() > 0, model
        assert {(r.history_type, r.history_user_id, r.history_change_reason, r.version) for r in rows} == {
            ("+", nurse.pk, REASON, 1)}, model
    assert set(Visit.objects.values_list("in_rescue_window", flat=True)) == {True, False}
    assert DoseChange.objects.filter(mg_per_day=0).get(patient__study_id="ITP-001").phase == "stop"
    assert AdverseEvent.objects.get(patient__study_id="ITP-001", grade=2).term == "Rash acneiform"  # coded
    later = LabValue.objects.get(patient__study_id="ITP-001", sample_date=date(2025, 2, 3))
    assert (later.grade, later.sample.laboratory, AeProposal.objects.count()) == (None, "", 0)


def test_every_row_written_has_its_history_row_by_the_user_with_the_reason(nurse):
    study_import(document=document(full_patient(1), full_patient(2)), user=nurse, reason=REASON, today=TODAY)
    for model, count in [(Patient, 2), (Eligibility, 2), (Consent, 2), (PriorTherapy, 4),
                         (ScheduledVisit, 2 * len(PROTOCOL_SCHEDULE.visits)), (Visit, 16)]:
        rows = list(model.history.all())
        assert len(rows) == count == model.objects.count(), model
        assert {(r.history_type, r.history_user_id, r.history_change_reason, r.version) for r in rows} == {
            ("+", nurse.pk, REASON, 1)}, model
        assert {r.id for r in rows} == set(model.objects.values_list("id", flat=True)), model
    assert ResponseSummary.objects.count() == 2


def _one_by_one(doc: dict, user, offset: int) -> None:
    """The same document written through the services one record at a time, under study ids + offset."""
    plan, problems = document_plan(doc, today=TODAY, existing_study_ids=set())
    assert problems == []
    for planned in plan.patients:
        number = int(planned.enrolment.study_id.split("-")[1]) + offset
        enrolment = planned.enrolment.__class__(**{**planned.enrolment.__dict__, "study_id": f"ITP-{number:03d}"})
        p = patient_enrol(data=enrolment, user=user, reason=REASON, today=TODAY, require_checklist=False)
        for v in planned.visits:
            visit_record(patient=p, code=v.code, values=v.values, user=user, reason=REASON, today=TODAY,
                         bleeding_required=False)


def _written(study_id: str) -> tuple:
    p = Patient.objects.get(study_id=study_id)
    visits = [(v.code, v.visit_date, v.platelets, v.category, v.in_rescue_window, v.out_of_window_days)
              for v in p.visits.select_related("slot").order_by("visit_date", "id")]
    slots = list(p.slots.order_by("code").values_list("code", "target_date", "earliest", "latest"))
    response = ResponseSummary.objects.filter(patient=p).values().get()
    response.pop("patient_id"), response.pop("computed_at")
    return visits, slots, response


def test_the_bulk_import_writes_what_the_services_write_one_record_at_a_time(nurse):
    doc = document(*(full_patient(n) for n in range(1, 13)))
    study_import(document=doc, user=nurse, reason=REASON, today=TODAY)
    _one_by_one(doc, nurse, offset=100)
    for n in range(1, 13):
        assert _written(f"ITP-{n:03d}") == _written(f"ITP-{n + 100:03d}"), n


def test_the_study_id_sequence_moves_past_the_highest_imported_id(nurse):
    study_import(document=document(full_patient(7), full_patient(3)), user=nurse, reason=REASON, today=TODAY)
    assert StudyIdSequence.objects.get().last_number == 7


def test_a_study_id_taken_after_the_checks_is_refused_and_nothing_is_written(nurse, monkeypatch):
    import reports.importer as importer

    real = importer.document_plan

    def then_enrolled(*args, **kwargs):  # someone enrols ITP-002 between the checks and the writes
        plan = real(*args, **kwargs)
        _one_by_one(document(full_patient(2)), nurse, offset=0)
        return plan

    monkeypatch.setattr(importer, "document_plan", then_enrolled)
    with pytest.raises(ValidationError) as refused:
        study_import(document=document(full_patient(1), full_patient(2)), user=nurse, reason=REASON, today=TODAY)
    assert refused.value.message_dict == {"study_id": ["ITP-002 already exists."]}
    assert list(Patient.objects.values_list("study_id", flat=True)) == ["ITP-002"]


@pytest.mark.parametrize(("change", "field"), [
    ({"eligibility": {**CHECKLIST, "primary_itp": False}}, "primary_itp"),
    ({"eligibility": {**CHECKLIST, "washout_warning_acknowledged": False}}, "washout_warning_acknowledged"),
    ({"consent": {**CONSENT, "date": "2025-01-07"}}, "consent_date"),
], ids=["criterion-not-met", "washout-not-acknowledged", "consent-after-start"])
def test_what_enrolment_refuses_is_refused_whole(nurse, change, field):
    doc = document(full_patient(1), {**full_patient(2), **change})
    with pytest.raises(ValidationError) as refused:
        study_import(document=doc, user=nurse, reason=REASON, today=TODAY)
    assert field in refused.value.message_dict
    assert (Patient.objects.count(), Visit.objects.count(), Patient.history.count()) == (0, 0, 0)


def test_labs_in_bulk_are_graded_against_the_baseline_as_the_service_grades_them(nurse):
    """ALT is graded against its baseline value: the batch's baseline is the latest sample on or before day 0."""
    labs = [{"date": "2025-01-01", "values": [{"analyte": "alt", "value": 30, "unit": "U/L", "uln": 40}]},
            {"date": "2025-01-06", "values": [{"analyte": "alt", "value": 35, "unit": "U/L", "uln": 40}]},
            {"date": "2025-02-03", "values": [{"analyte": "alt", "value": 39, "unit": "U/L", "uln": 40}]}]
    study_import(document=document({**full_patient(1), "labs": labs}, full_patient(2)), user=nurse, reason=REASON,
                 today=TODAY)
    assert LabValue.history.count() == 3  # the batch wrote them
    one_by_one = Patient.objects.get(study_id="ITP-002")
    plan, _ = document_plan(document({**full_patient(2), "labs": labs}), today=TODAY, existing_study_ids=set())
    labs_planned = next(planned for section, planned in plan.patients[0].sections if section.keys == ("labs",))
    for lab in labs_planned:
        lab_sample_record(patient=one_by_one, sample_date=lab.sample_date, laboratory=lab.laboratory,
                          values=lab.values, user=nurse, reason=REASON, today=TODAY)
    columns = ("sample_date", "analyte", "value", "value_std", "uln_std", "baseline_std", "grade", "graded_term")
    written = [list(LabValue.objects.filter(patient__study_id=study_id).order_by("sample_date").values_list(*columns))
               for study_id in ("ITP-001", "ITP-002")]
    assert written[0] == written[1]
    assert written[0][2][5] == 35  # the day-0 sample is the baseline
