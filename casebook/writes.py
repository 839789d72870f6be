"""The one write path of every clinical record.

    with writing(user=user, reason=reason, patient=patient, token=token) as write:
        patient = write.patient                       # the patient's row, locked until the transaction ends
        dose = write.edit(dose, version=version)      # a fresh copy: stale version, locked record, no reason: refused
        ...                                           # the domain service's own checks, then the new values
        write.save(dose)                              # lock on the new dates, full_clean, version + 1, history

All of it runs in one transaction. What is checked comes from the record's declaration (casebook.types:
`lock_dates`, `signed_individually`, `patient`), not from calls a service must remember: a model nobody declared
cannot be saved here, and every declared one is locked, versioned and audited the same way.
"""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itp_trial.clock import moment_text

from .changes import ChangesSince, changes_since
from .checks import collected_errors
from .models import Signature, Submission
from .notices import Notice, notices_deliver
from .registry import declaration_of, subject_model
from .selectors import CasebookLocks, casebook_locks
from .types import RecordType

REASON_REQUIRED = _("Give a reason for changing a saved record.")


class RecordLocked(ValidationError):
    """The record (its old or new dates) is covered by an active signature."""

    def __init__(self, signature: Signature):
        self.signature = signature
        super().__init__(
            _("Locked: %(meaning)s by %(signer)s on %(when)s. A data manager must unlock it (with a reason) "
              "before it can be changed."),
            code="locked",
            params={"meaning": signature.meaning, "signer": signature.signer_name,
                    "when": moment_text(signature.signed_at)},
        )


class StaleRecord(ValidationError):
    """Someone saved the record since the version the user opened; `changes` says what and who."""

    def __init__(self, *, record: models.Model, label: str, changes: ChangesSince):
        self.record, self.label, self.changes = record, label, changes
        super().__init__(
            _("%(record)s was changed by %(who)s since you opened it: nothing was saved."),
            code="stale", params={"record": label, "who": ", ".join(changes.by) or _("someone else")},
        )


class AlreadySubmitted(Exception):
    """The form's token was used before: its record exists already and nothing is written twice."""

    def __init__(self, submission: Submission):
        self.submission = submission
        super().__init__(f"form {submission.token} was already submitted")


def require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED}, code="reason_required")
    return reason


def _key(record: models.Model) -> tuple[type, int]:
    return type(record), record.pk


class Write:
    """One transaction's writes to one patient's casebook (or to study-level records when `patient` is None)."""

    def __init__(self, *, user, reason: str, patient: models.Model | None):
        self.user = user
        self.reason = reason
        self.patient = patient
        self.submission: Submission | None = None
        self.token: UUID | None = None  # the form's token, while it is still to be claimed (see `writing`)
        self._locks: CasebookLocks | None = None
        self._opened: dict[tuple[type, int], list] = {}
        self.notices: list[Notice] = []

    def notify(self, kind: str, *, due_date, audience: str, params: dict | None = None) -> None:
        """Ask people to act on this write (casebook.notices): delivered at its end, in its transaction."""
        self.notices.append(Notice(self.patient_id, kind, due_date, audience, params or {}))

    # ------------------------------------------------------------ reads the checks need

    @property
    def patient_id(self) -> int | None:
        return self.patient.pk if self.patient is not None else None

    def lock_of(self, record: models.Model, declaration: RecordType | None = None) -> Signature | None:
        """The signature locking `record`; the patient's signatures are read once, under the patient lock (no one
        can sign or unlock meanwhile)."""
        if self._locks is None:
            self._locks = CasebookLocks([]) if self.patient is None else casebook_locks(patient_id=self.patient.pk)
        return self._locks.lock_of(record, declaration)

    def _is_subject(self, record: models.Model) -> bool:
        return isinstance(record, subject_model())

    def _belongs(self, record: models.Model, declaration: RecordType) -> None:
        owner = record.pk if self._is_subject(record) else declaration.patient(record)
        if owner != self.patient_id:
            raise ValueError(f"{record._meta.label} {record.pk} belongs to patient {owner}, not to this write's "
                             f"patient {self.patient_id}")

    # ------------------------------------------------------------ the steps

    def claim(self, token: UUID, *, record_type: str = "", record_id: int | None = None) -> None:
        """Take the form's one-time token (with the record it created, when known); a second post of the same
        form stops here. One statement: the insert does nothing when the token is taken (it waits for a
        concurrent claim of the same token to end)."""
        self.token = None
        submission = Submission(token=token, user=self.user, patient=self.patient, submitted_at=timezone.now(),
                                record_type=record_type, record_id=record_id)
        meta = Submission._meta
        token_value = meta.get_field("token").get_db_prep_value(token, connection)
        when = meta.get_field("submitted_at").get_db_prep_value(submission.submitted_at, connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(meta.db_table)} (token, user_id, submitted_at, record_type, "
                f"record_id, patient_id) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (token) DO NOTHING "
                f"RETURNING token",
                [token_value, self.user.pk, when, record_type, record_id, self.patient_id])
            claimed = cursor.fetchone()
        if claimed is None:
            raise AlreadySubmitted(Submission.objects.select_related("user", "patient").get(token=token))
        submission._state.adding, submission._state.db = False, connection.alias
        self.submission = submission

    def refuse_if_submitted(self) -> None:
        """A write refused before it claimed its token: when an earlier post of the same form was saved (its
        record is why this one was refused, e.g. "this visit is already recorded"), say so instead."""
        if self.token is None:
            return
        earlier = Submission.objects.select_related("user", "patient").filter(token=self.token).first()
        if earlier is not None:
            raise AlreadySubmitted(earlier)

    def edit(self, record: models.Model, *, version: int | None) -> models.Model:
        """A fresh, row-locked copy of `record` to change. `version` is the one the user saw (None only for a
        consequence the service itself writes, e.g. a proposal following its corrected lab value)."""
        declaration = declaration_of(type(record))
        fresh = type(record)._default_manager.select_for_update(of=("self",)).get(pk=record.pk)
        self._belongs(fresh, declaration)
        if version is not None and fresh.version != version:
            raise StaleRecord(record=fresh, label=str(declaration.label), changes=changes_since(fresh, version))
        lock = self.lock_of(fresh, declaration)
        if lock is not None:
            raise RecordLocked(lock)
        self._opened[_key(fresh)] = list(declaration.lock_dates(fresh))
        return fresh

    def check_version(self, record: models.Model, *, version: int) -> models.Model:
        """Refuse to act on `record` (e.g. sign it) when it changed since the user saw `version`."""
        declaration = declaration_of(type(record))
        fresh = type(record)._default_manager.get(pk=record.pk)
        if fresh.version != version:
            raise StaleRecord(record=fresh, label=str(declaration.label), changes=changes_since(fresh, version))
        return fresh

    def save(self, record: models.Model, *, reason: str | None = None, known: Iterable[str] = ()) -> models.Model:
        """Create `record`, or save one opened with `edit`: casebook lock on its (new) dates, reason for a change,
        full_clean, version, and a history row with the user and the reason.

        `known`: related fields whose rows the service has just read in this transaction, under the patient's
        lock, and checked itself (that the row exists and that no other record holds a one-to-one to it): not
        asked again. A reference to the locked patient is never asked again either."""
        declaration = declaration_of(type(record))
        adding = record._state.adding
        if adding and self._is_subject(record) and self.patient is None:
            pass  # enrolment: the new patient's row is this write's from now on
        else:
            self._belongs(record, declaration)
        reason = self.reason if reason is None else reason
        if adding:
            record.version = 1
        else:
            if _key(record) not in self._opened:
                raise RuntimeError(f"{record._meta.label} {record.pk}: open it with write.edit() before saving")
            reason = require_reason(reason)
            record.version += 1
        lock = self.lock_of(record, declaration)
        if lock is not None:
            raise RecordLocked(lock)
        self._store(record, reason or "created", known=known)
        if adding and self._is_subject(record) and self.patient is None:
            self.patient = record
        if adding:
            self._opened[_key(record)] = list(declaration.lock_dates(record))  # a service may complete it
            self._link_submission(declaration, record)
        if isinstance(record, Signature):
            self._locks = None  # read again: a new or voided signature changes what is locked
        return record

    def save_derived(self, record: models.Model, *, reason: str | None = None) -> models.Model:
        """A row derived from declared records and written only with them (the protocol slots of an enrolment):
        validated and kept with history, not a record type of its own."""
        record.version = 1 if record._state.adding else record.version + 1
        self._store(record, (self.reason if reason is None else reason) or "created")
        return record

    def _store(self, record: models.Model, reason: str, known: Iterable[str] = ()) -> None:
        self._validate(record, known=set(known))
        record._history_user = self.user
        record._change_reason = reason
        record.save()

    def _validate(self, record: models.Model, *, known: set[str]) -> None:
        """Model.full_clean, without asking the database again what this transaction holds: the existence of
        the locked patient's row and of the `known` rows, and the uniqueness the service checked for `known`."""
        exists = known | {field.name for field in record._meta.concrete_fields
                          if field.many_to_one and field.related_model is subject_model()
                          and self.patient is not None and getattr(record, field.attname) == self.patient.pk}
        errors = collected_errors((lambda: record.clean_fields(exclude=exists), record.clean))
        failed = {name for name in errors if name != NON_FIELD_ERRORS}
        errors = collected_errors((lambda: record.validate_unique(exclude=failed | known),
                                   lambda: record.validate_constraints(exclude=failed)), errors)
        if errors:
            raise ValidationError(errors)

    def _link_submission(self, declaration: RecordType, record: models.Model) -> None:
        """The token points at the first record the write creates (the one the form is about): claimed with it
        (one statement), or, when it was claimed first (a new patient's write), linked to it."""
        if self.token is not None:
            self.claim(self.token, record_type=declaration.key, record_id=record.pk)
            return
        if self.submission is None or self.submission.record_id is not None:
            return
        self.submission.record_type, self.submission.record_id = declaration.key, record.pk
        self.submission.patient = self.patient
        self.submission.save(update_fields=["record_type", "record_id", "patient"])


def _locked_subject(patient) -> models.Model | None:
    """The patient's row, read once and locked: given as a model instance, an id, or a lookup (`{"study_id":
    ...}`, for a view that has not read it yet; an unknown one raises the model's DoesNotExist)."""
    if patient is None:
        return None
    rows = subject_model()._default_manager.select_for_update()
    if isinstance(patient, Mapping):
        return rows.get(**patient)
    return rows.get(pk=patient if isinstance(patient, int) else patient.pk)


@contextmanager
def writing(*, user, reason: str = "", patient=None, token: UUID | None = None) -> Iterator[Write]:
    """One atomic write to `patient`'s casebook (a Patient, its id or a lookup; None for a new patient or study-level
    records). The patient's row stays locked until the end, so writes to one casebook never interleave.

    `token` (a create form's): claimed with the first record the write creates, in one statement; a second post of
    the same form, which waits for the first at the patient's lock, then finds it taken and everything it wrote is
    rolled back (or, refused on the way, finds it was the first post that made it refuse). Without a patient to
    lock (a new patient), the token is claimed first, so a second post waits there and writes nothing."""
    with transaction.atomic():
        write = Write(user=user, reason=reason, patient=_locked_subject(patient))
        if token is not None and write.patient is None:
            write.claim(token)
        else:
            write.token = token
        try:
            yield write
        except ValidationError:
            write.refuse_if_submitted()
            raise
        if write.token is not None:  # nothing created: the token is taken all the same
            write.claim(write.token)
        notices_deliver(write.notices)
