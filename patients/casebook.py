"""The patient's own record types: demographics and ITP history, eligibility, consent, prior therapies."""

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of

from . import datasets
from .models import Consent, Eligibility, Patient, PriorTherapy
from .services import Demographics, EnrolmentInput, patient_enrol, patient_update


def _enrol(*, patient, values: EnrolmentInput, user, reason="", today=None, token=None):
    return patient_enrol(data=values, user=user, reason=reason, today=today, token=token)


def _correct(*, record, values: Demographics, user, reason, version, today=None):
    return patient_update(patient=record, changes=asdict(values), user=user, reason=reason, version=version,
                          today=today)


PATIENT = RecordType(
    key="patient", model=Patient, label=_("Demographics and ITP history"), label_plural=_("Patients"),
    patient=lambda record: record.pk,
    lock_dates=dated("start_date"),  # any signed casebook covers day 0, so demographics lock with it
    # Enrolment writes eligibility, consent and history with it; a correction takes the Demographics subset.
    input=EnrolmentInput, create=_enrol, update=_correct,
    dataset="patients",
    columns=datasets.PATIENT_COLUMNS,
    rows=datasets.patient_rows,
)
ELIGIBILITY = RecordType(
    key="eligibility", model=Eligibility, label=_("Eligibility checklist"),
    label_plural=_("Eligibility checklists"), patient=patient_of, lock_dates=dated("checked_on"),
    dataset="eligibility",
    columns=datasets.ELIGIBILITY_COLUMNS,
    rows=datasets.eligibility_rows,
)
CONSENT = RecordType(
    key="consent", model=Consent, label=_("Informed consent"), label_plural=_("Informed consents"),
    patient=patient_of, lock_dates=dated("consent_date"),
    dataset="consents",
    columns=datasets.CONSENT_COLUMNS,
    rows=datasets.consent_rows,
)
PRIOR_THERAPY = RecordType(
    key="prior_therapy", model=PriorTherapy, label=_("Prior therapy"), label_plural=_("Prior therapies"),
    patient=patient_of,
    lock_dates=lambda record: [record.patient.start_date],  # history before day 0: locked with the casebook
    dataset="prior_therapies",
    columns=datasets.PRIOR_THERAPY_COLUMNS,
    rows=datasets.prior_therapy_rows,
)

TYPES = (PATIENT, ELIGIBILITY, CONSENT, PRIOR_THERAPY)
