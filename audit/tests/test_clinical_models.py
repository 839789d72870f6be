"""Every clinical model keeps its history with the user; nothing clinical can be hard-deleted."""

from datetime import date, timedelta

import pytest
from django.apps import apps

from audit.history import history_rows
from audit.models import ClinicalRecord, HardDeleteRefused
from casebook.writes import writing
from dosing.tests.factories import dosing_records
from safety.tests.builders import safety_records
from tests.factories import enrol, record, sign_visit
from visits.models import ScheduledVisit
from visits.services import rescue_record

START = date(2026, 3, 2)
PROJECT_APPS = {"audit", "casebook", "patients", "visits", "dosing", "safety", "review", "inbox", "monitoring",
                "reports"}
# Models of the project's apps that are not subject data, and why.
NOT_CLINICAL = {
    "patients.StudyIdSequence": "allocates study ids",
    "visits.ResponseSummary": "derived from the visits on every save; the visits' history is the trail",
    "reports.ExportLog": "the audit of exports itself (append-only log)",
    "inbox.Reminder": "a notification with its idempotency key; the records it points at carry the history",
    "inbox.ReminderRead": "who dismissed a notification from their inbox; not subject data",
    "inbox.OutboxMessage": "work to do after a commit (e-mail); the records it is about carry the history",
    "inbox.EmailSent": "which e-mail went to whom (the proof of sending once); not subject data",
    "casebook.Submission": "a form's one-time token (double submission); points at the record it created",
    "monitoring.Query": "a question about a record, not subject data; kept with its own history (audit export)",
    "monitoring.QueryMessage": "a message of a query's thread; never deleted, in the audit export",
    "monitoring.Verification": "a monitor's source-verification mark; kept with its own history (audit export)",
}
# One field per clinical model that a correction can change, and a new value for it.
CORRECTIONS = {
    "patients.Patient": ("weight_kg", 70),
    "patients.Eligibility": ("checked_on", START - timedelta(days=1)),
    "patients.Consent": ("form_version", "2.2"),
    "patients.PriorTherapy": ("stop_date", START - timedelta(days=90)),
    "visits.ScheduledVisit": ("target_date", START + timedelta(days=8)),
    "visits.Visit": ("platelets", 44),
    "visits.RescueTherapy": ("details", "IVIG 1 g/kg"),
    "casebook.Signature": ("meaning", "reviewed"),
    "safety.LabSample": ("laboratory", "Central laboratory"),
    "safety.LabValue": ("uln", 45),
    "safety.AdverseEvent": ("end_date", START + timedelta(days=8)),
    "safety.AeProposal": ("dismiss_reason", "haemolysed sample"),
    "patients.Withdrawal": ("off_study_reason", "grade 3 diarrhea"),
    "safety.TregMeasurement": ("percent", "6.10"),
    "safety.HealthyControl": ("percent", "5.50"),
    "dosing.DoseChange": ("change_reason", "per protocol"),
    "dosing.Trough": ("lab", "Central laboratory"),
    "dosing.ConMed": ("stop_date", START + timedelta(days=8)),
}


def project_models():
    return [m for m in apps.get_models()
            if m._meta.app_label in PROJECT_APPS and not m.__name__.startswith("Historical")]


def test_every_project_model_is_clinical_or_explicitly_not():
    for model in project_models():
        label = model._meta.label
        assert issubclass(model, ClinicalRecord) or label in NOT_CLINICAL, f"{label}: audit it or explain why not"
    clinical = {m._meta.label for m in project_models() if issubclass(m, ClinicalRecord)}
    assert clinical == set(CORRECTIONS), "add the new clinical model to CORRECTIONS"


@pytest.mark.django_db
def test_create_and_update_leave_history_with_user_and_reason(nurse, physician, data_manager):
    patient = enrol(nurse, start=START, today=START + timedelta(days=8))
    record(patient, nurse, "week1", day=7, platelets=40, today=START + timedelta(days=8))
    rescue_record(patient=patient, given_on=START + timedelta(days=8), kind="ivig", details="", user=nurse,
                  today=START + timedelta(days=8))
    safety_records(patient, nurse, today=START + timedelta(days=8))
    dosing_records(patient, nurse, today=START + timedelta(days=8))
    sign_visit(patient.visits.get(slot__code="week1"), physician)  # the baseline (first visit) is corrected below
    creators = {"casebook.Signature": physician}  # everything else in the scenario is entered by the nurse
    for label, (field, value) in CORRECTIONS.items():
        model = apps.get_model(label)
        has_patient = any(f.name == "patient" for f in model._meta.fields)
        instance = model.objects.filter(**({"pk": patient.pk} if model.__name__ == "Patient" else
                                           {"patient": patient} if has_patient else {})).first()
        assert instance is not None, label
        created = instance.history.order_by("history_date").first()
        assert (created.history_type, created.history_user) == ("+", creators.get(label, nurse)), label

        correct(instance, data_manager, field, value, patient=None if label == "safety.HealthyControl" else patient)
        changed = instance.history.order_by("-history_date").first()
        assert (changed.history_type, changed.history_user, changed.history_change_reason) == (
            "~", data_manager, f"correct {field}"), label
        rows = history_rows(instance)
        assert rows[0].action == "changed" and rows[0].who == data_manager.get_full_name() and rows[0].reason, label


def correct(instance, user, field, value, *, patient):
    """A correction through the write path (the protocol slots are derived rows: no lock of their own)."""
    with writing(user=user, reason=f"correct {field}", patient=patient) as write:
        if isinstance(instance, ScheduledVisit):
            setattr(instance, field, value)
            return write.save_derived(instance)
        instance = write.edit(instance, version=instance.version)
        setattr(instance, field, value)
        return write.save(instance)


@pytest.mark.django_db
def test_no_clinical_model_can_be_hard_deleted(nurse):
    patient = enrol(nurse, start=START)
    for label in CORRECTIONS:
        model = apps.get_model(label)
        with pytest.raises(HardDeleteRefused):
            model.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        patient.delete()
    assert patient.visits.count() == 1


@pytest.mark.django_db
def test_history_rows_show_old_and_new_values(nurse, physician):
    patient = enrol(nurse, start=START)
    with writing(user=physician, reason="wrong box ticked", patient=patient) as write:
        patient = write.edit(patient, version=1)
        patient.sex = "male"
        write.save(patient)
    row = history_rows(patient)[0]
    assert (row.field, row.old, row.new, row.reason) == ("sex", "Female", "Male", "wrong box ticked")
    assert history_rows(patient)[-1].action == "created"
