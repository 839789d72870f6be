"""Record types of the dosing app: the sirolimus regimen, trough levels, concomitant medications."""

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of

from . import datasets, interchange
from .due import course_stops, trough_due_items
from .models import ConMed, DoseChange, Trough
from .report import dosing_report
from .selectors import dosing_panels
from .services import (
    ConMedValues,
    DoseValues,
    TroughValues,
    con_med_record,
    con_med_update,
    dose_change_record,
    dose_change_update,
    trough_record,
    trough_update,
)


def _dose_update(*, record, values: DoseValues, user, reason, version, today=None):
    return dose_change_update(dose=record, values=values, user=user, reason=reason, version=version, today=today)


def _trough_update(*, record, values: TroughValues, user, reason, version, today=None):
    return trough_update(trough=record, values=values, user=user, reason=reason, version=version, today=today)


def _con_med_update(*, record, values: ConMedValues, user, reason, version, today=None):
    return con_med_update(con_med=record, values=values, user=user, reason=reason, version=version, today=today)


DOSE = RecordType(
    key="dose", model=DoseChange, label=_("Sirolimus dose"), label_plural=_("Sirolimus doses"),
    patient=patient_of, lock_dates=dated("start_date"),
    input=DoseValues, create=dose_change_record, update=_dose_update,
    course=course_stops,
    panel=dosing_panels,
    report=dosing_report,
    dataset="doses",
    columns=datasets.DOSE_COLUMNS,
    rows=datasets.dose_rows,
    section=interchange.DOSE_SECTION,
)
TROUGH = RecordType(
    key="trough", model=Trough, label=_("Trough level"), label_plural=_("Trough levels"),
    patient=patient_of, lock_dates=dated("sample_date"),
    input=TroughValues, create=trough_record, update=_trough_update,
    due=trough_due_items,
    dataset="troughs",
    columns=datasets.TROUGH_COLUMNS,
    rows=datasets.trough_rows,
    section=interchange.TROUGH_SECTION,
)
CON_MED = RecordType(
    key="con_med", model=ConMed, label=_("Concomitant medication"), label_plural=_("Concomitant medications"),
    patient=patient_of, lock_dates=dated("start_date", "stop_date"),
    input=ConMedValues, create=con_med_record, update=_con_med_update,
    dataset="con_meds",
    columns=datasets.CON_MED_COLUMNS,
    rows=datasets.con_med_rows,
    section=interchange.CON_MED_SECTION,
)

TYPES = (DOSE, TROUGH, CON_MED)
