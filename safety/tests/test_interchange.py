"""import_study with the safety sections: adverse_events, labs, treg_before/treg_after and top-level controls."""

from datetime import date
from decimal import Decimal as D

import pytest

from patients.models import Withdrawal
from reports.importer import ImportRefused, study_import
from reports.tests.documents import START, document, on, patient
from safety.models import AdverseEvent, AeProposal, HealthyControl, LabSample, LabValue, TregMeasurement

pytestmark = pytest.mark.django_db
TODAY = date(2025, 12, 31)


def run(doc, user):
    return study_import(document=doc, user=user, reason="migrated from the 2025 spreadsheet", today=TODAY)


def nothing_written():
    return [m.objects.count() for m in (AdverseEvent, LabSample, LabValue, TregMeasurement, HealthyControl)]


def full_document() -> dict:
    return document(
        patient(1, adverse_events=[
            {"term": "Diarrhea", "grade": 1, "onset": on(80), "resolved": True, "end_date": on(92)},
            {"term": "acne", "grade": 2, "onset": on(90), "resolved": False, "serious": False,
             "relation": "probable", "action": "dose_reduced"},
            {"term": "Hair thinning", "grade": 1, "onset": on(95)},
        ], labs=[
            {"date": on(14), "values": [{"analyte": "alt", "value": 100, "unit": "U/L", "uln": 40}]},
            {"date": on(0), "laboratory": "Central", "values": [
                {"analyte": "alt", "value": 20, "unit": "U/L", "uln": 40},
                {"analyte": "total_cholesterol", "value": 190, "unit": "mg/dL", "uln": 200}]},
        ], treg_before=5.6, treg_after=7.8),
        controls=[{"control_id": "HC-01", "treg": 5.2}, {"control_id": "HC-02", "treg": 5.3,
                                                        "sample_date": "2025-01-10"}],
    )


def test_safety_sections_are_imported(nurse):
    result = run(full_document(), nurse)
    assert result.patients == 1
    events = {e.term: e for e in AdverseEvent.objects.all()}
    assert set(events) == {"Diarrhea", "Rash acneiform", "Hair thinning"}
    assert (events["Diarrhea"].outcome, events["Diarrhea"].end_date.isoformat()) == ("recovered", on(92))
    assert (events["Rash acneiform"].relation, events["Rash acneiform"].action) == ("probable", "dose_reduced")
    assert events["Diarrhea"].relation == "not_assessed" and events["Hair thinning"].coded is False
    assert LabSample.objects.count() == 2
    proposal = AeProposal.objects.get()  # baseline imported first, so day 14 is graded against it
    assert (proposal.term, proposal.grade, proposal.lab_value.sample_date) == (
        "Alanine aminotransferase increased", 1, START.replace(day=20))
    assert dict(TregMeasurement.objects.values_list("timepoint", "percent")) == {"baseline": D("5.60"),
                                                                                          "month3": D("7.80")}
    assert list(HealthyControl.objects.values_list("control_id", flat=True)) == ["HC-01", "HC-02"]
    assert AdverseEvent.objects.first().history.first().history_change_reason == "migrated from the 2025 spreadsheet"


def test_every_problem_has_its_json_path_and_nothing_is_written(nurse):
    doc = full_document()
    doc["patients"][0]["adverse_events"] += [
        {"term": "Arthralgia", "grade": 4, "onset": on(10)},
        {"term": "Diarrhea", "grade": 5, "onset": on(10)},
        {"term": "Diarrhea", "grade": 1, "onset": on(-5), "colour": "red"},
        {"term": "Diarrhea", "grade": 1, "onset": on(10), "resolved": False, "end_date": on(12)},
    ]
    doc["patients"][0]["labs"] += [
        {"date": "2026-02-01", "values": [{"analyte": "alt", "value": 50, "unit": "mg/dL"}]},
        {"date": on(20), "values": [{"analyte": "platelets", "value": 5, "unit": "x10^9/L"}]},
    ]
    doc["patients"][0]["treg_after"] = 140
    doc["controls"].append({"control_id": "HC-01", "treg": "5"})
    with pytest.raises(ImportRefused) as refused:
        run(doc, nurse)
    problems = refused.value.problems
    expected = [
        "patients[0].adverse_events[3].grade: Arthralgia is graded 1, 2, 3 in CTCAE v5.0.",
        "patients[0].adverse_events[4].death_date: grade 5 (death): enter the date of death.",
        "patients[0].adverse_events[5]: unknown key 'colour'",
        "patients[0].adverse_events[5].onset: cannot be before day 0 (2025-01-06); earlier events are history.",
        "patients[0].adverse_events[6].end_date: an event that is not resolved has no end date",
        "patients[0].labs[2].date: cannot be in the future.",
        "patients[0].labs[2].values[0].unit: ALT is reported in U/L.",
        "patients[0].labs[3].values[0].analyte: must be one of",
        "patients[0].treg_after: must be between 0 and 100",
        "controls[2].control_id: HC-01 appears twice in the document",
        "controls[2].treg: must be a number",
    ]
    for item in expected:
        assert any(p.startswith(item) for p in problems), (item, problems)
    assert nothing_written() == [0, 0, 0, 0, 0]


def test_existing_controls_are_refused(nurse):
    run(document(controls=[{"control_id": "HC-01", "treg": 5.2}]), nurse)
    with pytest.raises(ImportRefused) as refused:
        run(document(controls=[{"control_id": "HC-01", "treg": 5.2}]), nurse)
    assert refused.value.problems == ["controls[0].control_id: HC-01 already exists in this installation"]


def test_an_imported_grade_3_event_marks_the_patient_for_withdrawal(nurse):
    run(document(patient(1, adverse_events=[{"term": "Diarrhea", "grade": 3, "onset": on(30)}])), nurse)
    assert Withdrawal.objects.get().adverse_event.grade == 3


def test_controls_without_ids_are_not_also_called_duplicates():
    from reports.interchange import document_plan

    document = {"format": "itp-trial/1", "patients": [], "controls": [{"treg": 5.2}, {"treg": 6.1}]}
    _, problems = document_plan(document, today=date(2025, 6, 1), existing_study_ids=set())
    assert problems == ["controls[0].control_id: is required", "controls[1].control_id: is required"]


def test_blood_counts_are_imported_as_a_graded_haematology_panel(nurse):
    doc = document(patient(1, labs=[
        {"date": on(0), "values": [{"analyte": "haemoglobin", "value": 118, "unit": "g/L", "lln": 120}]},
        {"date": on(14), "values": [{"analyte": "haemoglobin", "value": 9.5, "unit": "g/dL", "lln": 12},
                                    {"analyte": "neutrophils", "value": 1.45, "unit": "10^9/L", "lln": 1.4},
                                    {"analyte": "white_cells", "value": 3.9, "unit": "×10⁹/L", "lln": 4.0}]},
    ]))
    run(doc, nurse)
    grades = dict(LabValue.objects.filter(sample_date=START.replace(day=20)).values_list("analyte", "grade"))
    assert grades == {"haemoglobin": 2, "neutrophils": 2, "white_cells": 1}
    assert sorted(AeProposal.objects.values_list("term", "grade")) == [
        ("Anemia", 2), ("Neutrophil count decreased", 2), ("White blood cell decreased", 1)]
