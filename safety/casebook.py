"""Record types of the safety app: lab samples and values, adverse events, AE proposals, Treg, healthy
controls."""

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of

from . import datasets, interchange
from .due import lab_due_items
from .models import AdverseEvent, AeProposal, HealthyControl, LabSample, LabValue, TregMeasurement
from .report import safety_report
from .selectors import safety_panels
from .services import (
    AeInput,
    ControlValues,
    LabInput,
    LabSampleValues,
    TregValues,
    adverse_event_record,
    adverse_event_update,
    healthy_control_record,
    lab_sample_record,
    lab_value_update,
    treg_record,
)


def _lab_create(*, patient, values: LabSampleValues, user, reason="", today=None, token=None):
    return lab_sample_record(patient=patient, sample_date=values.sample_date, values=values.values,
                             laboratory=values.laboratory, user=user, reason=reason, today=today, token=token)


def _lab_value_update(*, record, values: LabInput, user, reason, version, today=None):
    return lab_value_update(lab_value=record, values=values, user=user, reason=reason, version=version, today=today)


def _event_create(*, patient, values: AeInput, user, reason="", today=None, token=None):
    return adverse_event_record(patient=patient, data=values, user=user, reason=reason, today=today,
                                token=token).event


def _event_update(*, record, values: AeInput, user, reason, version, today=None):
    return adverse_event_update(event=record, data=values, user=user, reason=reason, version=version,
                                today=today).event


def _treg_create(*, patient, values: TregValues, user, reason="", today=None, token=None):
    return treg_record(patient=patient, timepoint=values.timepoint, percent=values.percent,
                       sample_date=values.sample_date, user=user, reason=reason, today=today, token=token)


def _control_create(*, patient, values: ControlValues, user, reason="", today=None, token=None):
    return healthy_control_record(control_id=values.control_id, percent=values.percent,
                                  sample_date=values.sample_date, user=user, reason=reason, today=today, token=token)


LAB_SAMPLE = RecordType(
    key="lab_sample", model=LabSample, label=_("Safety lab sample"), label_plural=_("Safety lab samples"),
    patient=patient_of, lock_dates=dated("sample_date"),
    input=LabSampleValues, create=_lab_create,  # its values (and proposals) come with it
    panel=safety_panels,
    dataset="lab_samples",
    columns=datasets.LAB_SAMPLE_COLUMNS,
    rows=datasets.lab_sample_rows,
    section=interchange.LAB_SECTION,
)
LAB_VALUE = RecordType(
    key="lab_value", model=LabValue, label=_("Safety lab value"), label_plural=_("Safety lab values"),
    patient=patient_of, lock_dates=dated("sample_date"),
    input=LabInput, update=_lab_value_update,  # created with its sample
    due=lab_due_items,
    dataset="labs",
    dataset_label="Safety labs",
    columns=datasets.LAB_COLUMNS,
    rows=datasets.lab_rows,
)
ADVERSE_EVENT = RecordType(
    key="adverse_event", model=AdverseEvent, label=_("Adverse event"), label_plural=_("Adverse events"),
    patient=patient_of, lock_dates=dated("onset_date", "end_date"),
    input=AeInput, create=_event_create, update=_event_update,
    report=safety_report,
    dataset="adverse_events",
    columns=datasets.AE_COLUMNS,
    rows=datasets.adverse_event_rows,
    section=interchange.EVENT_SECTION,
)
AE_PROPOSAL = RecordType(
    key="ae_proposal", model=AeProposal, label=_("Proposed adverse event"),
    label_plural=_("Proposed adverse events"), patient=patient_of,
    lock_dates=lambda record: [record.lab_value.sample_date],
    dataset="ae_proposals",
    columns=datasets.AE_PROPOSAL_COLUMNS,
    rows=datasets.ae_proposal_rows,
    section=interchange.PROPOSAL_SECTION,
)
TREG = RecordType(
    key="treg", model=TregMeasurement, label=_("Treg value"), label_plural=_("Treg values"),
    patient=patient_of,
    lock_dates=lambda record: [record.sample_date or record.patient.start_date],
    input=TregValues, create=_treg_create,
    dataset="treg",
    columns=datasets.TREG_COLUMNS,
    rows=datasets.treg_rows,
    section=interchange.TREG_SECTION,
)
HEALTHY_CONTROL = RecordType(
    key="healthy_control", model=HealthyControl, label=_("Healthy control"), label_plural=_("Healthy controls"),
    patient=lambda record: None, lock_dates=lambda record: [],  # study-level: no patient's casebook locks it
    input=ControlValues, create=_control_create,
    dataset="healthy_controls",
    columns=datasets.CONTROL_COLUMNS,
    rows=datasets.control_rows,
    section=interchange.CONTROL_SECTION,
)

TYPES = (LAB_SAMPLE, LAB_VALUE, ADVERSE_EVENT, AE_PROPOSAL, TREG, HEALTHY_CONTROL)
