"""Record types of the visits app: visits (platelets and bleeding) and rescue therapy."""

from django.utils.translation import gettext_lazy as _

from casebook.types import RecordType, dated, patient_of

from .models import RescueTherapy, Visit

VISIT = RecordType(
    key="visit", model=Visit, label=_("Visit"), label_plural=_("Visits"),
    patient=patient_of, lock_dates=dated("visit_date"), signed_individually=True,
)
RESCUE = RecordType(
    key="rescue", model=RescueTherapy, label=_("Rescue therapy"), label_plural=_("Rescue therapies"),
    patient=patient_of, lock_dates=dated("given_on"),
)

TYPES = (VISIT, RESCUE)
