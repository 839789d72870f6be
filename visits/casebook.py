"""Record types of the visits app: visits (platelets and bleeding) and rescue therapy."""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of
from patients import casebook as patient_types

from . import datasets, interchange
from .enrolment import EnrolmentInput, patient_enrol
from .models import RescueTherapy, Visit
from .selectors import rescue_panels, visit_due_items, visit_panels
from .services import RescueValues, VisitEntry, rescue_record, visit_record, visit_update


def _enrol(*, patient, values: EnrolmentInput, user, reason="", today=None, token=None):
    return patient_enrol(data=values, user=user, reason=reason, today=today, token=token)


def _visit_create(*, patient, values: VisitEntry, user, reason="", today=None, token=None):
    return visit_record(patient=patient, code=values.code, values=values.values, user=user, reason=reason,
                        today=today, token=token)


def _visit_update(*, record, values: VisitEntry, user, reason, version, today=None):
    return visit_update(visit=record, values=values.values, user=user, reason=reason, version=version, today=today)


def _rescue_create(*, patient, values: RescueValues, user, reason="", today=None, token=None):
    return rescue_record(patient=patient, given_on=values.given_on, kind=values.kind, details=values.details,
                         user=user, reason=reason, today=today, token=token)


# The patient type as patients declares it, with its entry: enrolment writes eligibility, consent, history, the
# visit plan and the baseline visit with the patient (visits.enrolment).
PATIENT = replace(patient_types.PATIENT, input=EnrolmentInput, create=_enrol)
VISIT = RecordType(
    key="visit", model=Visit, label=_("Visit"), label_plural=_("Visits"),
    patient=patient_of, lock_dates=dated("visit_date"), signed_individually=True,
    input=VisitEntry, create=_visit_create, update=_visit_update,
    due=visit_due_items,
    panel=visit_panels,
    dataset="visits",
    columns=datasets.VISIT_COLUMNS,
    rows=datasets.visit_rows,
    rows_sql=datasets.visit_copy_sql,
)
RESCUE = RecordType(
    key="rescue", model=RescueTherapy, label=_("Rescue therapy"), label_plural=_("Rescue therapies"),
    patient=patient_of, lock_dates=dated("given_on"),
    input=RescueValues, create=_rescue_create,
    panel=rescue_panels,
    dataset="rescue_therapies",
    columns=datasets.RESCUE_COLUMNS,
    rows=datasets.rescue_rows,
    section=interchange.RESCUE_SECTION,
)

TYPES = (VISIT, RESCUE)
