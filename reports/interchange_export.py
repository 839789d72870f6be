"""Write the whole study as one interchange document (SPEC §6), the one `import_study` reads.

The patient's own values and visits are written here; every other key comes from the section its record type
declares (`RecordType.section`), in the declarations' order. Keys are in a fixed order, optional values that are
empty (or what the importer assumes without them) are left out, numbers are written as stored: importing a
document and exporting it gives the document back, and exporting a re-import of that gives the same bytes.
The document carries birth dates (an installation needs them for the dose ranges) and never initials.
"""

import getpass
import json

from django.utils import timezone

from casebook.interchange import day_text, entry, number
from patients.models import Eligibility, Patient
from visits.schedule import UNSCHEDULED

from .interchange import FORMAT, PATIENT_SECTIONS, STUDY_SECTIONS
from .models import ExportLog

FILE_NAME = "study.json"


def _prior_therapy(therapy) -> str | dict:
    if not therapy.other_name and therapy.stop_date is None:
        return therapy.therapy
    return entry(("therapy", therapy.therapy), ("other_name", therapy.other_name),
                 ("stop_date", day_text(therapy.stop_date)))


def _eligibility(patient: Patient) -> dict:
    checklist = Eligibility.objects.filter(patient=patient).first()
    if checklist is None:
        return {}
    ticks = (*Eligibility.CRITERIA, "second_line_washout", "washout_warning_acknowledged")
    return {"eligibility": {"checked_on": day_text(checklist.checked_on),
                            **{name: getattr(checklist, name) for name in ticks}}}


def _consent(patient: Patient) -> dict:
    consent = patient.consents.order_by("consent_date", "id").first()
    if consent is None:
        return {}
    return {"consent": {"date": day_text(consent.consent_date), "form_version": consent.form_version,
                        "obtained_by": consent.obtained_by}}


def _visit(visit) -> dict:
    bleeding = (("who_bleeding_grade", visit.bleeding_grade) if visit.bleeding_grade is not None
                else ("bleeding", visit.bleeding_reported))
    return entry(("visit", visit.slot.code if visit.slot_id else UNSCHEDULED), ("date", day_text(visit.visit_date)),
                 ("platelets", number(visit.platelets)), bleeding, ("haemoglobin", number(visit.haemoglobin)),
                 ("white_cells", number(visit.white_cells)), keep=("bleeding", "who_bleeding_grade"))


def _patient(patient: Patient) -> dict:
    document = {"study_id": patient.study_id, "sex": patient.sex, "birth_date": day_text(patient.birth_date),
                "diagnosis_date": day_text(patient.diagnosis_date), "start_date": day_text(patient.start_date)}
    if patient.weight_kg is not None:
        document["weight_kg"] = number(patient.weight_kg)
    if patient.early_steroid_effective is not None:  # a stated "no" is kept: it is not "not asked"
        document["early_steroid_effective"] = patient.early_steroid_effective
    document["steroid_taper_at_start"] = patient.steroid_taper_at_start
    document["prior_therapies"] = [_prior_therapy(t) for t in patient.prior_therapies.order_by("id")]
    document.update(_eligibility(patient))
    document.update(_consent(patient))
    document["visits"] = [_visit(v) for v in patient.visits.select_related("slot").order_by("visit_date", "id")]
    for section in PATIENT_SECTIONS:
        if section.export is not None:
            document.update(section.export(patient))
    return document


def study_document() -> dict:
    """The whole study as the format's objects, patients by study id."""
    document = {"format": FORMAT,
                "patients": [_patient(p) for p in Patient.objects.order_by("study_id").iterator(chunk_size=200)]}
    for section in STUDY_SECTIONS:
        if section.export is not None:
            document.update(section.export())
    return document


def study_json(document: dict) -> bytes:
    """The document's bytes: UTF-8, two-space indent, keys in the order written, a final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def study_export(*, user=None, via: str = "web") -> bytes:
    """The interchange document of the whole study, logged like every export (who, when, how many patients)."""
    document = study_document()
    actor = user.get_username() if user is not None else getpass.getuser()
    ExportLog.objects.create(user=user, actor=actor, via=via, dataset=FILE_NAME,
                             rows=len(document["patients"]), finished_at=timezone.now())
    return study_json(document)
