"""Reads of a patient's casebook: which records are locked (for the Edit links and the write path alike) and
every record of the patient, per declared type."""

from collections.abc import Iterable

from django.db import models

from .locks import lock_for
from .models import Signature
from .registry import declaration_of, record_types, subject_model
from .types import RecordType


class CasebookLocks:
    """A patient's active signatures, and which of the patient's records they lock (casebook.locks)."""

    def __init__(self, signatures: Iterable[Signature]):
        self.signatures = list(signatures)

    def lock_of(self, record: models.Model, declaration: RecordType | None = None) -> Signature | None:
        declaration = declaration or declaration_of(type(record))
        if declaration.patient(record) is None and not isinstance(record, subject_model()):
            return None  # study-level records (healthy controls) are in no patient's casebook
        return lock_for(dates=declaration.lock_dates(record), signatures=self.signatures,
                        signed_id=record.pk if declaration.signed_individually else None)

    def annotate(self, records: Iterable[models.Model]) -> list[models.Model]:
        """Set `casebook_lock` (the signature, or None) and `editable` on each record, for templates."""
        records = list(records)
        for record in records:
            record.casebook_lock = self.lock_of(record)
            record.editable = record.casebook_lock is None
        return records


def casebook_locks(*, patient_id: int) -> CasebookLocks:
    """One query: the patient's active signatures."""
    return CasebookLocks(Signature.objects.filter(patient_id=patient_id, voided_at__isnull=True)
                         .order_by("signed_at", "id"))


def records_of(declaration: RecordType, *, patient_id: int) -> models.QuerySet | None:
    """The patient's records of one declared type (None for study-level types)."""
    model = declaration.model
    if model is subject_model():
        return model._default_manager.filter(pk=patient_id)
    if any(field.name == "patient" for field in model._meta.fields):
        return model._default_manager.filter(patient_id=patient_id).order_by("pk")
    return None


def patient_records(*, patient_id: int) -> list[tuple[RecordType, list[models.Model]]]:
    """Every record of the patient, per declared type in the declarations' order (one query per type)."""
    found = []
    for declaration in record_types():
        queryset = records_of(declaration, patient_id=patient_id)
        if queryset is not None:
            found.append((declaration, list(queryset)))
    return found
