"""Record types of the dosing app: the sirolimus regimen, trough levels, concomitant medications."""

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of

from .models import ConMed, DoseChange, Trough

DOSE = RecordType(
    key="dose", model=DoseChange, label=_("Sirolimus dose"), label_plural=_("Sirolimus doses"),
    patient=patient_of, lock_dates=dated("start_date"),
)
TROUGH = RecordType(
    key="trough", model=Trough, label=_("Trough level"), label_plural=_("Trough levels"),
    patient=patient_of, lock_dates=dated("sample_date"),
)
CON_MED = RecordType(
    key="con_med", model=ConMed, label=_("Concomitant medication"), label_plural=_("Concomitant medications"),
    patient=patient_of, lock_dates=dated("start_date", "stop_date"),
)

TYPES = (DOSE, TROUGH, CON_MED)
