"""The patient's own record types: demographics and ITP history, eligibility, consent, prior therapies, and
the withdrawal (off study)."""

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of

from . import datasets, interchange
from .models import Consent, Eligibility, Patient, PriorTherapy, Withdrawal
from .off_study import OffStudyValues, withdrawal_complete
from .selectors import course_off_study
from .services import Demographics, patient_update


def _correct(*, record, values: Demographics, user, reason, version, today=None):
    return patient_update(patient=record, changes=asdict(values), user=user, reason=reason, version=version,
                          today=today)


def _off_study(*, patient, values: OffStudyValues, user, reason="", today=None, token=None):
    return withdrawal_complete(patient=patient, off_study_date=values.off_study_date,
                               off_study_reason=values.off_study_reason, user=user, reason=reason, today=today,
                               token=token)


PATIENT = RecordType(
    key="patient", model=Patient, label=_("Demographics and ITP history"), label_plural=_("Patients"),
    patient=lambda record: record.pk,
    lock_dates=dated("start_date"),  # any signed casebook covers day 0, so demographics lock with it
    # A correction takes the Demographics subset. Its entry, enrolment, writes the visit plan and the baseline
    # visit with the patient: visits.casebook.PATIENT completes this declaration with it (visits is above).
    update=_correct,
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

WITHDRAWAL = RecordType(
    key="withdrawal", model=Withdrawal, label=_("Withdrawal and off study"),
    label_plural=_("Withdrawals and off study"), patient=patient_of,
    lock_dates=dated("marked_on", "off_study_date"),
    input=OffStudyValues, create=_off_study,  # marked by a grade >= 3 AE; completed by the off-study entry
    course=course_off_study,
    dataset="withdrawals",
    columns=datasets.WITHDRAWAL_COLUMNS,
    rows=datasets.withdrawal_rows,
    section=interchange.OFF_STUDY_SECTION,
)

TYPES = (ELIGIBILITY, CONSENT, PRIOR_THERAPY)  # after the patient type (visits.casebook.PATIENT)
# Listed after the safety types in the study's tuple: a withdrawal may name the adverse event that started it.
COURSE_TYPES = (WITHDRAWAL,)
