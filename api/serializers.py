"""Read serializers, one per declared record type, built from its model: every stored field (but the hidden
ones), people as usernames, patients as study ids; a visit also carries its schedule code and the patient's
response summary."""

from datetime import UTC
from functools import cache

from django.contrib.auth import get_user_model
from django.db import models
from rest_framework import serializers

from casebook.registry import subject_model

from .catalogue import Endpoint


class UtcDateTimeField(serializers.DateTimeField):
    """A moment written in UTC ("2026-05-04T09:30:00Z") whatever the study's zone (TIME_ZONE, which pages use):
    the API's timestamps are a machine interface and keep the form they always had."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(*args, **kwargs)


class RecordSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.DateTimeField: UtcDateTimeField}


def _related(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


@cache
def response_serializer() -> type[serializers.ModelSerializer]:
    meta = type("Meta", (), {"model": _related(subject_model(), "response"), "exclude": ["patient"],
                             "ref_name": "ResponseSummary"})
    return type("ResponseSummary", (RecordSerializer,), {"Meta": meta})


def _extras(endpoint: Endpoint) -> dict[str, serializers.Field]:
    """The few types whose record is read with more than its own columns."""
    if endpoint.key == "visit":
        return {"code": serializers.CharField(read_only=True),
                "response": response_serializer()(source="patient.response", read_only=True, allow_null=True)}
    if endpoint.key == "patient":
        return {"response": response_serializer()(read_only=True, allow_null=True)}
    return {}


# The related rows a record's serializer reads, beyond its own foreign keys.
EXTRA_SELECT = {"visit": ("patient__response", "slot"), "patient": ("response",)}


def _relation_field(field) -> serializers.Field:
    kwargs = {"read_only": True}
    if field.null:
        kwargs["allow_null"] = True
    if field.related_model is get_user_model():
        return serializers.SlugRelatedField(slug_field="username", **kwargs)
    if field.related_model is subject_model():
        return serializers.SlugRelatedField(slug_field="study_id", **kwargs)
    return serializers.PrimaryKeyRelatedField(**kwargs)


def select_related(endpoint: Endpoint) -> list[str]:
    own = [field.name for field in endpoint.model._meta.concrete_fields if field.is_relation]
    return [*own, *EXTRA_SELECT.get(endpoint.key, ())]


def component_name(endpoint: Endpoint, suffix: str = "") -> str:
    return "".join(part.capitalize() for part in endpoint.key.split("_")) + suffix


@cache
def record_serializer(endpoint: Endpoint) -> type[serializers.ModelSerializer]:
    model = endpoint.model
    names = [field.name for field in model._meta.concrete_fields if field.name not in endpoint.hidden]
    attrs: dict = {field.name: _relation_field(field) for field in model._meta.concrete_fields
                   if field.is_relation and field.name in names}
    extras = _extras(endpoint)
    attrs.update(extras)
    name = component_name(endpoint)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": [*names, *extras], "read_only_fields": names,
                                      "ref_name": name})
    return type(name, (RecordSerializer,), attrs)


HISTORY_ACTIONS = [("created", "created"), ("changed", "changed")]  # named HistoryActionEnum in the schema


class HistoryRowSerializer(serializers.Serializer):
    """One changed field of a record (audit.history.HistoryRow): who, when, old → new, why."""

    when = UtcDateTimeField()
    who = serializers.CharField()
    action = serializers.ChoiceField(choices=HISTORY_ACTIONS)
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    reason = serializers.CharField()
