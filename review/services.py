"""Sign-off services: sign a visit or a casebook with the password, and unlock (void) with a reason."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.writes import audited_save, require_reason
from itp_trial.roles import REVIEW_DATA, UNLOCK_RECORDS
from patients.models import Patient
from visits.models import Visit

from .locks import lock_for, lock_message
from .models import MEANING, Signature

WRONG_PASSWORD = "The password is not correct; nothing was signed."


def _check_signer(user, password: str) -> None:
    if not user.has_perm(REVIEW_DATA):
        raise PermissionDenied("Only physicians sign off records.")
    if not password or not user.check_password(password):
        raise ValidationError({"password": WRONG_PASSWORD})


def signatures_active(*, patient: Patient) -> list[Signature]:
    return list(Signature.objects.filter(patient=patient, voided_at__isnull=True).order_by("signed_at"))


def visit_lock(visit: Visit) -> Signature | None:
    return lock_for(visit_id=visit.pk, visit_date=visit.visit_date,
                    signatures=Signature.objects.filter(patient_id=visit.patient_id, voided_at__isnull=True))


def ensure_unlocked(*, patient_id: int, dates: Iterable[date | None], visit_id: int | None = None) -> None:
    """Refuse a write that would change what a signature covers: a signed visit, or anything dated within a
    casebook signed up to a date (both the record's old and new dates are checked). Every dated write calls it."""
    wanted = [d for d in dates if d is not None]
    if not wanted:
        return
    signatures = list(Signature.objects.filter(patient_id=patient_id, voided_at__isnull=True))
    for day in wanted:
        lock = lock_for(visit_id=visit_id, visit_date=day, signatures=signatures)
        if lock is not None:
            raise ValidationError(lock_message(lock))


def _sign(*, patient: Patient, user, visit: Visit | None = None, up_to: date | None = None) -> Signature:
    signature = Signature(patient=patient, visit=visit, up_to=up_to, signer=user,
                          signer_name=user.get_full_name() or user.get_username(), signed_at=timezone.now(),
                          meaning=MEANING)
    return audited_save(signature, user=user, reason=f"e-signature: {MEANING}")


@transaction.atomic
def signature_sign_visit(*, visit: Visit, user, password: str) -> Signature:
    _check_signer(user, password)
    patient = Patient.objects.select_for_update().get(pk=visit.patient_id)
    if visit_lock(visit) is not None:
        raise ValidationError("This visit is already signed.")
    return _sign(patient=patient, user=user, visit=visit)


@transaction.atomic
def signature_sign_casebook(*, patient: Patient, up_to: date, user, password: str,
                            today: date | None = None) -> Signature:
    _check_signer(user, password)
    today = today or timezone.localdate()
    if up_to > today:
        raise ValidationError({"up_to": "Cannot sign beyond today."})
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    return _sign(patient=patient, user=user, up_to=up_to)


@transaction.atomic
def signature_void(*, signature: Signature, user, reason: str) -> Signature:
    """Unlock: the signature is voided (kept, with who, when and why)."""
    if not user.has_perm(UNLOCK_RECORDS):
        raise PermissionDenied("Only data managers unlock signed records.")
    reason = require_reason(reason)
    signature = Signature.objects.select_for_update().get(pk=signature.pk)
    if signature.voided_at is not None:
        raise ValidationError("This signature was already voided.")
    signature.voided_at = timezone.now()
    signature.voided_by = user
    signature.void_reason = reason
    return audited_save(signature, user=user, reason=f"unlocked: {reason}")
