"""The patient's own record types: demographics and ITP history, eligibility, consent, prior therapies."""

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of

from .models import Consent, Eligibility, Patient, PriorTherapy

PATIENT = RecordType(
    key="patient", model=Patient, label=_("Demographics and ITP history"), label_plural=_("Patients"),
    patient=lambda record: record.pk,
    lock_dates=dated("start_date"),  # any signed casebook covers day 0, so demographics lock with it
)
ELIGIBILITY = RecordType(
    key="eligibility", model=Eligibility, label=_("Eligibility checklist"),
    label_plural=_("Eligibility checklists"), patient=patient_of, lock_dates=dated("checked_on"),
)
CONSENT = RecordType(
    key="consent", model=Consent, label=_("Informed consent"), label_plural=_("Informed consents"),
    patient=patient_of, lock_dates=dated("consent_date"),
)
PRIOR_THERAPY = RecordType(
    key="prior_therapy", model=PriorTherapy, label=_("Prior therapy"), label_plural=_("Prior therapies"),
    patient=patient_of,
    lock_dates=lambda record: [record.patient.start_date],  # history before day 0: locked with the casebook
)

TYPES = (PATIENT, ELIGIBILITY, CONSENT, PRIOR_THERAPY)
