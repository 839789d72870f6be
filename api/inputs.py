"""Serializers for a record type's input dataclass, built from its type hints, and back to the dataclass.

The services take the dataclass a form produces (VisitEntry, DoseValues, ...); the API accepts the same values as
JSON, so a request is checked for shape here and for meaning by the service, exactly as a form's post is.
"""

import dataclasses
import types
import typing
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache

from django.db import models
from rest_framework import serializers

_SCALARS = {
    str: serializers.CharField,
    int: serializers.IntegerField,
    bool: serializers.BooleanField,
    date: serializers.DateField,
    time: serializers.TimeField,
    datetime: serializers.DateTimeField,
}


def _optional(hint) -> tuple[object, bool]:
    """(the hint without None, whether None is allowed)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1 and len(args) < len(typing.get_args(hint)):
            return args[0], True
    return hint, False


def _model_field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 (FieldDoesNotExist: the input names something the model does not)
        return None


def _field_for(hint, *, name: str, model, kwargs: dict, choices=None) -> serializers.Field:
    hint, nullable = _optional(hint)
    if nullable:
        kwargs["allow_null"] = True
    model_field = _model_field(model, name)
    if dataclasses.is_dataclass(hint):
        return input_serializer(hint)(**kwargs)
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        if dataclasses.is_dataclass(item):
            return input_serializer(item)(many=True, **kwargs)
        return serializers.ListField(child=_field_for(item, name=name, model=None, kwargs={}), **kwargs)
    if origin is dict:
        _, value = typing.get_args(hint)
        return serializers.DictField(child=_field_for(value, name=name, model=None, kwargs={}), **kwargs)
    if choices is not None:  # declared on the dataclass field: field(metadata={"choices": SomeTextChoices})
        return serializers.ChoiceField(choices=choices.choices, **kwargs)
    if model_field is not None and getattr(model_field, "choices", None) and hint in (str, int):
        return serializers.ChoiceField(choices=list(model_field.flatchoices),
                                       allow_blank=hint is str and model_field.blank, **kwargs)
    if hint is Decimal:  # taken as typed (not rounded): the model's full_clean says when it has too many places
        return serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=False, **kwargs)
    if hint is str:
        max_length = getattr(model_field, "max_length", None) or 250
        return serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=max_length, **kwargs)
    return _SCALARS[hint](**kwargs)


def _fields(cls, model) -> dict[str, serializers.Field]:
    hints = typing.get_type_hints(cls)
    fields = {}
    for item in dataclasses.fields(cls):
        has_default = item.default is not dataclasses.MISSING or item.default_factory is not dataclasses.MISSING
        kwargs: dict = {"required": not has_default}
        if item.default is not dataclasses.MISSING:
            kwargs["default"] = item.default
        fields[item.name] = _field_for(hints[item.name], name=item.name, model=model, kwargs=kwargs,
                                       choices=item.metadata.get("choices"))
    return fields


@cache
def input_serializer(cls, model: type[models.Model] | None = None, name: str | None = None,
                     extra: tuple[tuple[str, serializers.Field], ...] = ()) -> type[serializers.Serializer]:
    """A serializer for dataclass `cls`; `model` lends choices and sizes to same-named top-level fields, `extra`
    adds fields that are not values (the patient, the reason)."""
    attrs = {**dict(extra), **_fields(cls, model)}
    attrs["Meta"] = type("Meta", (), {"ref_name": name or cls.__name__})
    return type(name or cls.__name__, (serializers.Serializer,), attrs)


def build(cls, data: dict):
    """The dataclass `cls` from a serializer's validated data (nested dataclasses and lists of them too)."""
    hints = typing.get_type_hints(cls)
    values = {}
    for item in dataclasses.fields(cls):
        if item.name not in data:
            continue
        hint, _ = _optional(hints[item.name])
        value = data[item.name]
        if value is not None and dataclasses.is_dataclass(hint):
            value = build(hint, value)
        elif value is not None and typing.get_origin(hint) is list and dataclasses.is_dataclass(
                typing.get_args(hint)[0]):
            value = [build(typing.get_args(hint)[0], entry) for entry in value]
        values[item.name] = value
    return cls(**values)


def leaf_paths(cls, prefix: str = "") -> dict[str, str]:
    """Each field name of `cls` and its nested dataclasses → its dotted path in the request, for the names that
    occur once (so a service's problem on "platelets" is reported at "values.platelets")."""
    paths: dict[str, list[str]] = {}

    def walk(current, at: str) -> None:
        hints = typing.get_type_hints(current)
        for item in dataclasses.fields(current):
            path = f"{at}{item.name}"
            paths.setdefault(item.name, []).append(path)
            hint, _ = _optional(hints[item.name])
            if dataclasses.is_dataclass(hint):
                walk(hint, f"{path}.")

    walk(cls, prefix)
    return {name: found[0] for name, found in paths.items() if len(found) == 1}
