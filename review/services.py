"""Sign-off services: sign a visit or a casebook with the password, and unlock (void) with a reason.

A signature carries what the physician saw: the visit's version, or the snapshot of every record a casebook
signature will lock. Anything saved since the sign page was opened refuses the signature (nothing is signed)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casebook.models import MEANING, Signature
from casebook.selectors import casebook_locks
from casebook.signing_checks import require_nothing_pending
from casebook.snapshots import Snapshot, StaleCasebook, casebook_content, differences
from casebook.writes import require_reason, writing
from itp_trial.clock import study_today
from itp_trial.roles import REVIEW_DATA, UNLOCK_RECORDS
from patients.models import Patient
from visits.models import Visit

WRONG_PASSWORD = _("The password is not correct; nothing was signed.")


def _check_signer(user, password: str) -> None:
    if not user.has_perm(REVIEW_DATA):
        raise PermissionDenied(gettext("Only physicians sign off records."))
    if not password or not user.check_password(password):
        raise ValidationError({"password": WRONG_PASSWORD})


def signatures_active(*, patient: Patient) -> list[Signature]:
    return casebook_locks(patient_id=patient.pk).signatures


def visit_lock(visit: Visit) -> Signature | None:
    return casebook_locks(patient_id=visit.patient_id).lock_of(visit)


def _signature(*, patient: Patient, user, visit: Visit | None = None, up_to: date | None = None,
               snapshot: Snapshot) -> Signature:
    return Signature(patient=patient, visit=visit, up_to=up_to, signer=user,
                     signer_name=user.get_full_name() or user.get_username(), signed_at=timezone.now(),
                     meaning=MEANING, content_digest=snapshot.digest())


def signature_sign_visit(*, visit: Visit, user, password: str, version: int) -> Signature:
    """Sign one visit as the physician saw it (`version`): refused if it was saved since."""
    _check_signer(user, password)
    with writing(user=user, reason=f"e-signature: {MEANING}", patient=visit.patient_id) as write:
        visit = write.check_version(visit, version=version)
        if write.lock_of(visit) is not None:
            raise ValidationError(gettext("This visit is already signed."))
        snapshot = Snapshot(up_to=None, entries=(("visit", visit.pk, visit.version),))
        require_nothing_pending(patient_id=visit.patient_id, entries=snapshot.entries)
        return write.save(_signature(patient=write.patient, user=user, visit=visit, snapshot=snapshot))


def signature_sign_casebook(*, patient: Patient, up_to: date, user, password: str, seen: Snapshot,
                            today: date | None = None) -> Signature:
    """Sign the casebook up to a date as the physician saw it (`seen`, taken when the page was opened): refused,
    naming each record, if anything it covers was saved, added or moved since."""
    _check_signer(user, password)
    today = today or study_today()
    if up_to > today:
        raise ValidationError({"up_to": gettext("Cannot sign beyond today.")})
    with writing(user=user, reason=f"e-signature: {MEANING}", patient=patient) as write:
        now = casebook_content(patient_id=patient.pk, up_to=up_to)
        if seen.up_to != up_to:
            raise ValidationError({"up_to": gettext("The date was changed: review the records up to the new date "
                                                     "below and sign again.")})
        found = differences(seen=seen, now=now)
        if found:
            raise StaleCasebook(found)
        require_nothing_pending(patient_id=patient.pk, entries=now.snapshot.entries)
        return write.save(_signature(patient=write.patient, user=user, up_to=up_to, snapshot=now.snapshot))


def signature_void(*, signature: Signature, user, reason: str, version: int | None = None) -> Signature:
    """Unlock: the signature is voided (kept, with who, when and why)."""
    if not user.has_perm(UNLOCK_RECORDS):
        raise PermissionDenied(gettext("Only data managers unlock signed records."))
    reason = require_reason(reason)
    with writing(user=user, reason=f"unlocked: {reason}", patient=signature.patient_id) as write:
        if Signature.objects.filter(pk=signature.pk, voided_at__isnull=False).exists():
            raise ValidationError(gettext("This signature was already voided."))
        signature = write.edit(signature, version=version)
        signature.voided_at = timezone.now()
        signature.voided_by = user
        signature.void_reason = reason
        return write.save(signature)


def signature_restore(*, patient: Patient, user, signer_name: str, signed_at, meaning: str = MEANING,
                      visit: Visit | None = None, up_to: date | None = None, voided_at=None, void_reason: str = "",
                      reason: str = "") -> Signature:
    """A signature carried over from another installation by the study import: kept with who signed it and when
    (the importing user stands in for the account), fingerprinting the records as imported. Written after the
    patient's records, so it locks them from then on."""
    with writing(user=user, reason=reason, patient=patient) as write:
        if visit is not None:
            snapshot = Snapshot(up_to=None, entries=(("visit", visit.pk, visit.version),))
        else:
            snapshot = casebook_content(patient_id=write.patient.pk, up_to=up_to).snapshot
        return write.save(Signature(
            patient=write.patient, visit=visit, up_to=up_to, signer=user, signer_name=signer_name,
            signed_at=signed_at, meaning=meaning, content_digest=snapshot.digest(), voided_at=voided_at,
            voided_by=user if voided_at is not None else None, void_reason=void_reason))
