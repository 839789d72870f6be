"""Records and fields as monitoring addresses them: (record-type key, id) and a model field name.

Everything here reads the declarations (casebook.registry), so a new record type is queryable and verifiable
without a line in this app. A correction made with an answer is built from the record's current values and the
one field changed, and goes through the type's declared `update` service (the audited write path).
"""

import dataclasses
import typing
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from audit.history import hidden_fields
from casebook.registry import declaration_by_key, declaration_of, record_types
from casebook.types import RecordType

SKIPPED = {"id", "patient"}  # the address itself, not values a monitor checks


class UnknownRecord(LookupError):
    """No declared type of that key, or no record of that id."""


@dataclass(frozen=True)
class FieldValue:
    name: str
    label: str
    value: str  # as people read it


def declaration(key: str) -> RecordType:
    try:
        return declaration_by_key(key)
    except StopIteration:
        raise UnknownRecord(f"no record type {key!r}") from None


def record_get(key: str, pk: int) -> tuple[RecordType, models.Model]:
    found = declaration(key)
    record = found.model._default_manager.filter(pk=pk).first()
    if record is None:
        raise UnknownRecord(f"no {key} {pk}")
    return found, record


def key_of(record: models.Model) -> str:
    return declaration_of(type(record)).key


def patient_id_of(found: RecordType, record: models.Model) -> int | None:
    return found.patient(record)


def has_patient(found: RecordType) -> bool:
    return any(field.name == "patient" for field in found.model._meta.fields) or found.key == "patient"


def monitored_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a monitor can question or verify: entered values, not timestamps, versions or derived ones."""
    hidden = hidden_fields(model) | SKIPPED
    return [field for field in model._meta.concrete_fields if field.name not in hidden]


def field_label(model: type[models.Model], name: str) -> str:
    if not name:
        return ""
    return str(model._meta.get_field(name).verbose_name)


def is_field(model: type[models.Model], name: str) -> bool:
    return name == "" or name in {field.name for field in monitored_fields(model)}


def shown(record: models.Model, field: models.Field) -> str:
    """A value as a page shows it (choices by label, related rows by name, yes/no, a dash for nothing)."""
    value = getattr(record, field.name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(getattr(record, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def field_values(record: models.Model) -> list[FieldValue]:
    return [FieldValue(field.name, str(field.verbose_name), shown(record, field))
            for field in monitored_fields(type(record))]


def value_shown(record: models.Model, name: str) -> str:
    return shown(record, record._meta.get_field(name)) if name else str(record)


# --- corrections through the declared update service -------------------------------------------------------------

def _leaf_names(input_type: type) -> set[str]:
    hints = typing.get_type_hints(input_type)
    names = set()
    for item in dataclasses.fields(input_type):
        if dataclasses.is_dataclass(hints[item.name]):
            names |= _leaf_names(hints[item.name])
        else:
            names.add(item.name)
    return names


def correctable_fields(found: RecordType) -> set[str]:
    """Fields an answer can correct: those the type's update service takes, and the model stores."""
    if found.update is None or found.input is None:
        return set()
    model_fields = {field.name for field in monitored_fields(found.model)}
    return _leaf_names(found.input) & model_fields


def input_values(input_type: type, record: models.Model, changes: dict) -> object:
    """The type's input dataclass filled with the record's current values, `changes` applied."""
    hints = typing.get_type_hints(input_type)
    kwargs = {}
    for item in dataclasses.fields(input_type):
        if dataclasses.is_dataclass(hints[item.name]):
            kwargs[item.name] = input_values(hints[item.name], record, changes)
        elif item.name in changes:
            kwargs[item.name] = changes[item.name]
        elif hasattr(record, item.name):
            kwargs[item.name] = getattr(record, item.name)
    return input_type(**kwargs)


def parse_value(found: RecordType, name: str, text: str):
    """The typed text as the model field's value; a ValidationError keyed by `new_value` when it is not one."""
    form_field = found.model._meta.get_field(name).formfield()
    if form_field is None:
        raise ValidationError({"new_value": "This value cannot be corrected here."})
    form_field.required = False
    try:
        value = form_field.clean(text.strip())
    except ValidationError as error:
        raise ValidationError({"new_value": error.messages}) from None
    if value == "" and found.model._meta.get_field(name).null:
        return None
    return value


def monitored_types() -> tuple[RecordType, ...]:
    """Every declared type with its own patient (study-level records are verified in the same way)."""
    return record_types()
