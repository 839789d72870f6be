"""Record types of the safety app: lab samples and values, adverse events, AE proposals, withdrawal, Treg,
healthy controls."""

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of

from .models import AdverseEvent, AeProposal, HealthyControl, LabSample, LabValue, TregMeasurement, Withdrawal

LAB_SAMPLE = RecordType(
    key="lab_sample", model=LabSample, label=_("Safety lab sample"), label_plural=_("Safety lab samples"),
    patient=patient_of, lock_dates=dated("sample_date"),
)
LAB_VALUE = RecordType(
    key="lab_value", model=LabValue, label=_("Safety lab value"), label_plural=_("Safety lab values"),
    patient=patient_of, lock_dates=dated("sample_date"),
)
ADVERSE_EVENT = RecordType(
    key="adverse_event", model=AdverseEvent, label=_("Adverse event"), label_plural=_("Adverse events"),
    patient=patient_of, lock_dates=dated("onset_date", "end_date"),
)
AE_PROPOSAL = RecordType(
    key="ae_proposal", model=AeProposal, label=_("Proposed adverse event"),
    label_plural=_("Proposed adverse events"), patient=patient_of,
    lock_dates=lambda record: [record.lab_value.sample_date],
)
WITHDRAWAL = RecordType(
    key="withdrawal", model=Withdrawal, label=_("Withdrawal and off study"),
    label_plural=_("Withdrawals and off study"), patient=patient_of,
    lock_dates=dated("marked_on", "off_study_date"),
)
TREG = RecordType(
    key="treg", model=TregMeasurement, label=_("Treg value"), label_plural=_("Treg values"),
    patient=patient_of,
    lock_dates=lambda record: [record.sample_date or record.patient.start_date],
)
HEALTHY_CONTROL = RecordType(
    key="healthy_control", model=HealthyControl, label=_("Healthy control"), label_plural=_("Healthy controls"),
    patient=lambda record: None, lock_dates=lambda record: [],  # study-level: no patient's casebook locks it
)

TYPES = (LAB_SAMPLE, LAB_VALUE, ADVERSE_EVENT, AE_PROPOSAL, WITHDRAWAL, TREG, HEALTHY_CONTROL)
