"""The declarations cover every clinical model exactly once."""

from django.apps import apps

from audit.models import ClinicalRecord
from itp_trial.casebook import BY_KEY, BY_MODEL, RECORD_TYPES

# Derived from the schedule by the enrolment service; nobody enters or edits a slot.
NOT_RECORD_TYPES = {"visits.ScheduledVisit"}


def test_keys_and_models_are_unique():
    assert len(BY_KEY) == len(RECORD_TYPES)
    assert len(BY_MODEL) == len(RECORD_TYPES)


def test_every_clinical_model_is_declared():
    clinical = {
        model._meta.label for model in apps.get_models()
        if issubclass(model, ClinicalRecord) and not model._meta.abstract
    }
    declared = {record_type.model._meta.label for record_type in RECORD_TYPES}
    assert clinical - NOT_RECORD_TYPES == declared
