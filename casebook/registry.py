"""The project's record types, as the bottom layer sees them.

The declarations import their apps' services, so casebook cannot import them without a cycle. The project
names its tuple in a setting instead (like AUTH_USER_MODEL or ROOT_URLCONF), read on first use:
`CASEBOOK_RECORD_TYPES = "itp_trial.casebook.RECORD_TYPES"`. Nothing is registered as an import side effect.
"""

from functools import cache

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from .models import Signature
from .types import RecordType


@cache
def record_types() -> tuple[RecordType, ...]:
    return tuple(import_string(settings.CASEBOOK_RECORD_TYPES))


@cache
def _by_model() -> dict[type, RecordType]:
    return {record_type.model: record_type for record_type in record_types()}


def declaration_of(model: type[models.Model]) -> RecordType:
    """The declaration of `model`; a model nobody declared cannot be written as a clinical record."""
    try:
        return _by_model()[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not a declared record type (add it to its app's casebook.py)") \
            from None


def declaration_by_key(key: str) -> RecordType:
    return next(record_type for record_type in record_types() if record_type.key == key)


def subject_model() -> type[models.Model]:
    """The model a casebook belongs to (the patient), as the signatures name it."""
    return Signature._meta.get_field("patient").related_model
