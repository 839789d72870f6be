"""Signatures are records too: kept with history, read on history pages; they lock, they are not locked."""

from django.utils.translation import gettext_lazy as _

from casebook.models import Signature
from casebook.types import RecordType, patient_of

from . import datasets, interchange

SIGNATURE = RecordType(
    key="signature", model=Signature, label=_("Signature"), label_plural=_("Signatures"),
    patient=patient_of, lock_dates=lambda record: [],
    dataset="signatures",
    columns=datasets.SIGNATURE_COLUMNS,
    rows=datasets.signature_rows,
    section=interchange.SIGNATURE_SECTION,
)

TYPES = (SIGNATURE,)
