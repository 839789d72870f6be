from django.conf import settings
from django.db import models

from audit.models import ClinicalRecord
from patients.models import Patient
from visits.models import Visit

MEANING = "reviewed and approved"


class Signature(ClinicalRecord):
    """A physician's electronic signature of one visit, or of a patient's casebook up to a date.

    While not voided it locks what it covers. A data manager can void it (unlock) with a reason.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="signatures")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures")
    up_to = models.DateField("casebook up to", null=True, blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField("signed by", max_length=150)
    signed_at = models.DateTimeField("signed at (UTC)")
    meaning = models.CharField(max_length=60, default=MEANING)
    voided_at = models.DateTimeField("unlocked at (UTC)", null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    void_reason = models.CharField("reason for unlocking", max_length=250, blank=True)

    class Meta:
        ordering = ["patient", "signed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visit__isnull=False, up_to__isnull=True)
                | models.Q(visit__isnull=True, up_to__isnull=False),
                name="signature_covers_a_visit_or_a_casebook",
            )
        ]

    def __str__(self) -> str:
        what = f"visit of {self.visit.visit_date}" if self.visit_id else f"casebook up to {self.up_to}"
        return f"{self.patient} {what}, signed by {self.signer_name}"

    @property
    def active(self) -> bool:
        return self.voided_at is None
