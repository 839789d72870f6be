"""The per-patient casebook for the archive: everything recorded about one patient, as one PDF.

Demographics and ITP history, eligibility and consent, every visit with its values and computed category, the
response summary, rescue therapy, sirolimus doses, trough levels, concomitant medications, safety labs, adverse
events, Treg values, withdrawal, every signature (meaning, signer, UTC time, and an unlock if any), and the full
audit history of every record, gathered through the record-type declarations (casebook.registry.record_types()).

Downloading it is logged like a dataset export (reports.models.ExportLog, dataset "casebook:<study id>").
Identifying values (Patient.PERSONAL_FIELDS, e.g. initials) are left out, as in every export.
"""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone

from audit.history import HistoryRow, history_rows
from casebook.registry import record_types
from itp_trial.clock import study_today
from patients.demographics import age_in_years, months_between
from patients.models import Patient
from visits.selectors import patient_visits, slot_label, visit_window_message

from .models import ExportLog
from .pdf import render_pdf

TEMPLATE = "reports/casebook_pdf.html"


@dataclass(frozen=True)
class AuditSection:
    label: str  # e.g. "Visit: week1 2026-03-09"
    rows: list[HistoryRow]


def _records(record_type, patient: Patient) -> list[models.Model]:
    model = record_type.model
    if model is Patient:
        return [patient]
    if not any(f.name == "patient" for f in model._meta.get_fields()):
        return []  # study-level records (healthy controls) belong to no casebook
    return list(model._default_manager.filter(patient=patient).order_by("pk"))


def audit_sections(*, patient: Patient) -> list[AuditSection]:
    """The history of every record of the patient, record type by record type, oldest record first."""
    hidden = set(Patient.PERSONAL_FIELDS)
    sections = []
    for record_type in record_types():
        for record in _records(record_type, patient):
            rows = [row for row in history_rows(record) if not (record is patient and row.field in _labels(hidden))]
            sections.append(AuditSection(f"{record_type.label}: {record}", rows))
    return sections


def _labels(field_names: set[str]) -> set[str]:
    return {str(Patient._meta.get_field(name).verbose_name) for name in field_names}


def casebook_context(*, patient: Patient, today: date | None = None) -> dict:
    """Everything the casebook template shows, read from the stored records."""
    today = today or study_today()
    visits = patient_visits(patient=patient)
    eligibility = getattr(patient, "eligibility", None)
    items = []
    if eligibility is not None:
        for name in (*eligibility.CRITERIA, "second_line_washout", "washout_warning_acknowledged"):
            items.append((eligibility._meta.get_field(name).verbose_name, getattr(eligibility, name)))
    return {
        "patient": patient,
        "generated_at": timezone.now(),
        "today": today,
        "age": age_in_years(patient.birth_date, patient.start_date),
        "months_since_diagnosis": months_between(patient.diagnosis_date, patient.start_date),
        "eligibility": eligibility,
        "eligibility_items": items,
        "consents": list(patient.consents.all()),
        "prior_therapies": list(patient.prior_therapies.all()),
        "summary": getattr(patient, "response", None),
        "visits": [(v, (v.visit_date - patient.start_date).days, slot_label(v.code) if v.slot_id else v.code,
                    visit_window_message(v)) for v in visits],
        "rescue": list(patient.rescue_therapies.order_by("given_on", "pk")),
        "doses": list(patient.dose_changes.order_by("start_date", "pk")),
        "troughs": list(patient.troughs.order_by("sample_date", "pk")),
        "con_meds": list(patient.con_meds.order_by("start_date", "pk")),
        "lab_samples": list(patient.lab_samples.prefetch_related("values").order_by("sample_date", "pk")),
        "adverse_events": list(patient.adverse_events.order_by("onset_date", "pk")),
        "treg": list(patient.treg.order_by("pk")),
        "withdrawal": getattr(patient, "withdrawal", None),
        "signatures": list(patient.signatures.select_related("visit", "voided_by").order_by("signed_at", "pk")),
        "audit": audit_sections(patient=patient),
    }


def casebook_pdf(*, patient: Patient, user, request=None) -> bytes:
    """The casebook PDF of `patient`, logged like an export (who, when, which patient, how many records)."""
    log = ExportLog.objects.create(user=user, actor=user.get_username(), via="web",
                                   dataset=f"casebook:{patient.study_id}")
    context = casebook_context(patient=patient)
    pdf = render_pdf(template_name=TEMPLATE, context=context, request=request)
    log.rows = len(context["audit"])  # records in the casebook
    log.finished_at = timezone.now()
    log.save(update_fields=["rows", "finished_at"])
    return pdf
