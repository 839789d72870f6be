"""Form → write path → redirect, or the form again: the one way every entry view submits.

A refused write comes back to the form: field problems next to their fields, a stale version as a conflict (what
changed, by whom, next to what the user typed, which is kept; saving again applies it on the current version),
a second post of a page already saved as a message and a redirect to what the first post created.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .changes import FieldChange
from .models import Submission
from .registry import declaration_by_key
from .selectors import casebook_locks
from .writes import AlreadySubmitted, RecordLocked, StaleRecord


def add_service_errors(form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError next to the form's fields (unknown fields go to the top)."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            target = field_map.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def rebase(form: forms.Form, version: int) -> None:
    """Keep what the user typed, on the record's current version: saving again applies it (after a conflict)."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(version)


def typed(form: forms.Form, name: str) -> str | None:
    """What the user typed in field `name`, as a choice list shows it (None when the form has no such field)."""
    if name not in form.fields:
        return None
    value = form[name].value()
    choices = getattr(form.fields[name], "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices if not isinstance(label, list | tuple)}
        value = labels.get(str(value), value)
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@dataclass(frozen=True)
class ConflictRow:
    change: FieldChange
    yours: str | None  # what the user typed in that field, when the form has it


@dataclass(frozen=True)
class Conflict:
    """A stale save, as the edit page shows it."""

    error: StaleRecord
    rows: list[ConflictRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.error.label

    @property
    def changes(self):
        return self.error.changes

    @property
    def message(self) -> str:
        return self.error.messages[0]

    @property
    def has_yours(self) -> bool:
        """The form has fields for what changed (an edit page; a decision page has none)."""
        return any(row.yours is not None for row in self.rows)


@dataclass
class Outcome:
    saved: models.Model | None = None
    already: Submission | None = None
    conflict: Conflict | None = None

    @property
    def done(self) -> bool:
        """Saved now, or by the first post of the same page: leave the form."""
        return self.saved is not None or self.already is not None

    @property
    def status(self) -> int:
        return 409 if self.conflict else 400


def already_message(submission: Submission) -> str:
    what = declaration_by_key(submission.record_type).label if submission.record_type else _("the record")
    who = submission.user.get_full_name() or submission.user.get_username()
    return _("This page was already sent: %(what)s was saved by %(who)s at %(when)s. Nothing was saved twice.") % {
        "what": what, "who": who, "when": date_format(localtime(submission.submitted_at), "Y-m-d H:i")}


def entry_submit(request, form: forms.Form, write: Callable[[], models.Model]) -> Outcome:
    """Run `write` (a service call) for a valid `form` and say how it went."""
    try:
        saved = write()
    except AlreadySubmitted as already:
        messages.info(request, already_message(already.submission))
        return Outcome(already=already.submission)
    except StaleRecord as stale:
        rebase(form, stale.changes.current_version)
        rows = [ConflictRow(change, typed(form, change.field)) for change in stale.changes.fields]
        return Outcome(conflict=Conflict(stale, rows))
    except ValidationError as error:
        add_service_errors(form, error)
        return Outcome()
    return Outcome(saved=saved)


def locked_response(request, record: models.Model, *, patient, label: str):
    """The page a locked record's Edit link would lead to (403), or None when the record can be edited."""
    lock = casebook_locks(patient_id=patient.pk).lock_of(record)
    if lock is None:
        return None
    return render(request, "casebook/locked.html",
                  {"patient": patient, "record": record, "label": label, "message": RecordLocked(lock).messages[0]},
                  status=403)
