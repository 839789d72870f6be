"""What a casebook keeps besides the domain records: the physicians' signatures that lock it, and the tokens of
forms already submitted (so a double click creates one record, not two).

Signatures live here, at the bottom, because the write path checks them on every save; the sign and unlock
workflow (passwords, permissions, pages) stays in `review`. Foreign keys name the domain models by string, so
this app imports none of them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from audit.models import ClinicalRecord

MEANING = gettext_noop("reviewed and approved")  # stored in English with each signature; shown translated


class Signature(ClinicalRecord):
    """A physician's electronic signature of one visit, or of a patient's casebook up to a date.

    While not voided it locks what it covers. A data manager can void it (unlock) with a reason.
    `content_digest` fingerprints the records' versions the physician saw when signing (casebook.snapshots).
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="signatures")
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="signatures")
    up_to = models.DateField("casebook up to", null=True, blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField("signed by", max_length=150)
    signed_at = models.DateTimeField("signed at (UTC)")
    meaning = models.CharField(max_length=60, default=MEANING)
    content_digest = models.CharField("digest of the record versions signed", max_length=64, blank=True)
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


class Submission(models.Model):
    """A create form's one-time token, claimed in the transaction that writes the record.

    The primary key makes the claim unique: a second post of the same form (double click, browser retry) finds
    the token taken, creates nothing and is sent to what the first one created.
    """

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    record_type = models.CharField(max_length=40, blank=True)  # the RecordType key of what it created
    record_id = models.BigIntegerField(null=True, blank=True)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta:
        verbose_name = _("form submission")

    def __str__(self) -> str:
        return f"{self.token} → {self.record_type} {self.record_id}"
