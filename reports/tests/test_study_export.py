"""export_study and the Exports page's download: one document, every record type, a stable key order; and the
CSV datasets every record type declares."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from casebook.registry import record_types
from patients.models import Patient
from reports.datasets import DATASETS
from reports.exporting import codebook_csv, python_csv
from reports.importer import study_import
from reports.interchange import PATIENT_SECTIONS, STUDY_SECTIONS
from reports.models import ExportLog

from .generated import GENERATED_AS_OF, generated_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(data_manager):
    study_import(document=generated_study(5), user=data_manager, reason="imported", today=GENERATED_AS_OF)


def test_the_command_and_the_page_give_the_same_document(client, study, data_manager, tmp_path):
    out = tmp_path / "study.json"
    call_command("export_study", "--out", str(out))
    client.force_login(data_manager)
    response = client.get("/reports/exports/study.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == out.read_bytes()
    assert list(ExportLog.objects.order_by("started_at").values_list("via", "dataset", "rows")) == [
        ("command", "study.json", 5), ("web", "study.json", 5)]


def test_the_command_writes_to_standard_output_without_out(study, capsysbinary):
    call_command("export_study")
    document = json.loads(capsysbinary.readouterr().out)
    assert [p["study_id"] for p in document["patients"]] == [f"ITP-00{n}" for n in range(1, 6)]


def test_keys_come_in_a_fixed_order(study):
    from reports.interchange_export import study_document

    document = study_document()
    assert list(document) == ["format", "patients", "controls"]
    first = document["patients"][0]
    assert list(first)[:8] == ["study_id", "sex", "birth_date", "diagnosis_date", "start_date", "weight_kg",
                               "early_steroid_effective", "steroid_taper_at_start"]
    section_keys = [key for section in PATIENT_SECTIONS for key in section.keys]
    present = [key for key in first if key in section_keys]
    assert present == sorted(present, key=section_keys.index)  # in the declarations' order
    assert list(first["doses"][1]) == ["date", "mg_per_day", "phase", "reason", "prescribed_by"]


def test_every_record_type_is_in_the_document(study):
    """Each declared type is carried by the core (patients, visits, their checklist, consent and therapies) or by
    the section it declares; an undeclared section would be a type lost on the way."""
    core = {"patient", "eligibility", "consent", "prior_therapy", "visit", "lab_value"}  # lab values: with samples
    declared = {t.key for t in record_types() if t.section is not None}
    assert core | declared == {t.key for t in record_types()}
    assert len(STUDY_SECTIONS) == 1 and STUDY_SECTIONS[0].keys == ("controls",)


def test_initials_never_leave_and_birth_dates_only_in_the_document(study, nurse):
    from patients.services import patient_update
    from reports.interchange_export import study_document, study_json

    patient = Patient.objects.order_by("study_id").first()
    patient_update(patient=patient, changes={"initials": "QZX", "birth_date": date(1961, 2, 3)}, user=nurse,
                   reason="corrected", version=patient.version, today=GENERATED_AS_OF)
    text = study_json(study_document()).decode()
    assert "QZX" not in text and "1961-02-03" in text
    for dataset in DATASETS.values():
        content = b"".join(python_csv(dataset)).decode()
        assert "QZX" not in content and "1961-02-03" not in content, dataset.name
        assert "birth_date" not in codebook_csv(dataset).decode(), dataset.name


def test_the_audit_trail_says_a_birth_date_changed_without_its_values(study, nurse):
    from patients.services import patient_update

    patient = Patient.objects.order_by("study_id").first()
    patient_update(patient=patient, changes={"birth_date": date(1961, 2, 3), "weight_kg": 70}, user=nurse,
                   reason="corrected", version=patient.version, today=GENERATED_AS_OF)
    rows = list(csv.DictReader(io.StringIO(b"".join(python_csv(DATASETS["audit"])).decode())))
    changed = {r["field"]: (r["old"], r["new"], r["reason"]) for r in rows
               if r["model"] == "patients.Patient" and r["action"] == "changed"}
    assert changed["birth_date"] == ("", "", "corrected")
    assert changed["weight_kg"] == ("56.5", "70.0", "corrected")


DATASET_OF_TYPE = {
    "patient": "patients", "eligibility": "eligibility", "consent": "consents", "prior_therapy": "prior_therapies",
    "visit": "visits", "rescue": "rescue_therapies", "dose": "doses", "trough": "troughs", "con_med": "con_meds",
    "lab_sample": "lab_samples", "lab_value": "labs", "adverse_event": "adverse_events",
    "ae_proposal": "ae_proposals", "withdrawal": "withdrawals", "treg": "treg",
    "healthy_control": "healthy_controls", "signature": "signatures",
}


def test_the_datasets_are_those_of_the_record_types_then_the_audit_trail():
    assert list(DATASETS) == [DATASET_OF_TYPE[t.key] for t in record_types()] + ["audit", "account_changes",
                                                                                 "queries"]


@pytest.mark.parametrize("key", list(DATASET_OF_TYPE))
def test_every_record_type_has_a_dataset_with_one_row_per_record_and_a_codebook(study, key):
    record_type = next(t for t in record_types() if t.key == key)
    dataset = DATASETS[DATASET_OF_TYPE[key]]
    rows = list(csv.reader(io.StringIO(b"".join(python_csv(dataset)).decode())))
    count = record_type.model._default_manager.count()
    assert count > 0 and len(rows) - 1 == count == dataset.count()
    assert rows[0] == [c.name for c in dataset.columns]
    codebook = list(csv.DictReader(io.StringIO(codebook_csv(dataset).decode())))
    assert [c["column"] for c in codebook] == rows[0] and all(c["label"] and c["type"] for c in codebook)


def test_new_datasets_hold_what_was_recorded(study):
    def read(name):
        return list(csv.DictReader(io.StringIO(b"".join(python_csv(DATASETS[name])).decode())))

    [rescue, *_] = read("rescue_therapies")
    assert (rescue["study_id"], rescue["kind"], rescue["day"], rescue["details"]) == ("ITP-001", "ivig", "20",
                                                                                      "1 g/kg")
    proposals = {r["study_id"]: r for r in read("ae_proposals")}
    assert (proposals["ITP-001"]["status"], proposals["ITP-001"]["dismiss_reason"]) == ("dismissed",
                                                                                        "haemolysed sample")
    assert (proposals["ITP-002"]["status"], proposals["ITP-002"]["event_onset_date"]) == (
        "confirmed", proposals["ITP-002"]["sample_date"])
    [withdrawal] = read("withdrawals")
    assert (withdrawal["study_id"], withdrawal["by_adverse_event"], withdrawal["event_term"],
            withdrawal["off_study_reason"]) == ("ITP-001", "true", "Pneumonitis", "grade 3 pneumonitis")
    treg = {(r["study_id"], r["timepoint"]): r for r in read("treg")}
    assert treg[("ITP-001", "baseline")]["percent"] == "5.60" and treg[("ITP-001", "month3")]["sample_date"] == ""
    signatures = read("signatures")
    assert {s["covers"] for s in signatures} == {"visit", "casebook"}
    voided = [s for s in signatures if s["unlocked_at"]]
    assert [(s["study_id"], s["unlock_reason"]) for s in voided] == [("ITP-004", "late lab correction")]
    assert len(read("healthy_controls")) == 20
    con_meds = read("con_meds")
    assert {c["glucocorticoid_taper"] for c in con_meds} == {"true", "false"}
