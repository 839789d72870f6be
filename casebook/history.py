"""Every declared record's history as people read it: who, when, why, and each field's old → new value.

One reader for every record type (the declarations say which types there are and how a record belongs to a
patient): a record's own history with the histories of the records that point at it (a visit's signatures, a
lab value's proposal), and a patient's whole casebook history, newest first. A "created" entry lists the values
entered. Related rows are named once per page (no query per value).
"""

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from itertools import groupby

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext

from audit.history import hidden_fields, user_name
from itp_trial.validation import shown

from .registry import record_types, subject_model
from .types import RecordType


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    when: datetime
    who: str
    action: str  # created, changed, deleted
    reason: str
    record_type: RecordType
    record_id: int
    record_label: str
    changes: list[Change] = field(default_factory=list)


class _Values:
    """Stored values as people read them: choices by label, yes/no, related rows by name (each looked up once)."""

    def __init__(self) -> None:
        self.related: dict[tuple[type, object], str] = {}

    def prefetch(self, fields: list[models.Field], rows: list) -> None:
        """Name every related row the history rows refer to, one query per related model."""
        for model_field in fields:
            if not isinstance(model_field, models.ForeignKey):
                continue
            model = model_field.related_model
            wanted = {getattr(row, model_field.attname) for row in rows} - {None}
            wanted -= {pk for (known, pk) in self.related if known is model}
            if wanted:
                for pk, found in _with_links(model).in_bulk(wanted).items():
                    self.related[(model, pk)] = _name(found)

    def __call__(self, model_field: models.Field, value) -> str:
        if value is None or value == "":
            return "—"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.ForeignKey):
            key = (model_field.related_model, value)
            if key not in self.related:
                found = model_field.related_model._default_manager.filter(pk=value).first()
                self.related[key] = _name(found) if found is not None else str(value)
            return self.related[key]
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, datetime):
            return f"{value:%Y-%m-%d %H:%M} UTC"
        if isinstance(value, time):
            return f"{value:%H:%M}"
        if isinstance(value, Decimal):
            return shown(value)  # a count as entered: "18", not "18.0"
        return str(value)


def _name(found: models.Model) -> str:
    """A related row as people know it (a user by their name)."""
    if isinstance(found, get_user_model()):
        return found.get_full_name() or found.get_username()
    return str(found)


def _with_links(model: type[models.Model]):
    """The model's rows with the rows they link to (their names often mention them)."""
    links = [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one or f.one_to_one]
    return model._default_manager.select_related(*links)


def _shown_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a history shows: not the id, timestamps, version or derived values, nor the patient link."""
    hidden = hidden_fields(model) | {"id"}
    subject = subject_model()
    return [f for f in model._meta.concrete_fields
            if f.name not in hidden and not (f.is_relation and f.related_model is subject)]


def _entries(record_type: RecordType, rows: list, label: str, values: _Values) -> list[Entry]:
    """The entries of one record's history rows (oldest first in, oldest first out)."""
    shown = _shown_fields(record_type.model)
    values.prefetch(shown, rows)
    entries, previous = [], None
    for row in rows:
        kind = {"+": "created", "-": "deleted"}.get(row.history_type, "changed")
        if previous is None or kind == "created":
            changes = [Change(str(f.verbose_name), "", values(f, getattr(row, f.attname))) for f in shown
                       if getattr(row, f.attname) not in (None, "")]
            kind = "created"
        else:
            changes = [Change(str(f.verbose_name), values(f, getattr(previous, f.attname)),
                              values(f, getattr(row, f.attname)))
                       for f in shown if getattr(row, f.attname) != getattr(previous, f.attname)]
        if changes or kind != "changed":
            entries.append(Entry(when=row.history_date, who=user_name(row), action=kind,
                                 reason=row.history_change_reason or "", record_type=record_type,
                                 record_id=row.id, record_label=label, changes=changes))
        previous = row
    return entries


def _history_of(model: type[models.Model], **filters):
    return model.history.filter(**filters).select_related("history_user").order_by("id", "history_date",
                                                                                    "history_id")


def record_history(record_type: RecordType, record: models.Model) -> list[Entry]:
    """The record's history, newest first."""
    entries = _entries(record_type, list(_history_of(record_type.model, id=record.pk)), str(record), _Values())
    return entries[::-1]


def related_histories(record: models.Model) -> list[tuple[RecordType, models.Model, list[Entry]]]:
    """The histories of declared records that point at `record` (a visit's signatures, a lab value's proposal)."""
    found = []
    for other in record_types():
        for link in other.model._meta.concrete_fields:
            if link.is_relation and link.related_model is type(record) and link.related_model is not \
                    subject_model():
                for related in other.model._default_manager.filter(**{link.name: record}).order_by("pk"):
                    found.append((other, related, record_history(other, related)))
    return found


def patient_types() -> list[RecordType]:
    """The declared types whose records belong to a patient (not the study-level ones)."""
    subject = subject_model()
    return [t for t in record_types() if t.model is subject or any(
        f.is_relation and f.related_model is subject for f in t.model._meta.concrete_fields)]


def _patient_filter(record_type: RecordType, patient_id: int) -> dict:
    if record_type.model is subject_model():
        return {"id": patient_id}
    link = next(f for f in record_type.model._meta.concrete_fields
                if f.is_relation and f.related_model is subject_model())
    return {link.attname: patient_id}


def patient_history(*, patient: models.Model, keys: set[str] | None = None) -> list[Entry]:
    """Every entry of every record of the patient's casebook (of the types in `keys`, or all), newest first."""
    values, entries = _Values(), []
    for record_type in patient_types():
        if keys and record_type.key not in keys:
            continue
        rows = list(_history_of(record_type.model, **_patient_filter(record_type, patient.pk)))
        values.prefetch(_shown_fields(record_type.model), rows)  # for all its records at once
        current = _with_links(record_type.model).in_bulk({row.id for row in rows})
        for record_id, record_rows in groupby(rows, key=lambda row: row.id):
            record = current.get(record_id)
            label = str(record) if record is not None else f"{record_type.label} {record_id}"
            entries.extend(_entries(record_type, list(record_rows), label, values))
    # Newest first; records written at the same moment (an import) with the later record first.
    entries.sort(key=lambda entry: (entry.when, entry.record_id), reverse=True)
    return entries
