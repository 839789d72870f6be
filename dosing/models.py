"""Sirolimus regimen, trough levels and concomitant medications (subject data, audited, never deleted).

Flags (dose out of range, trough out of target, not a trough, suggested dose, interacting drug) are derived
from these rows by `dosing.tdm` when read, never stored: they follow corrections of the rows they depend on.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import ClinicalRecord
from patients.models import Patient

MG_PER_DAY_MAX = 20
NG_ML_MAX = 300


class Phase(models.TextChoices):
    START = "start", _("Start")
    MAINTENANCE = "maintenance", _("Maintenance")
    ADJUSTMENT = "adjustment", _("Adjustment")
    TAPER = "taper", _("Taper")
    STOP = "stop", _("Stop")


class DoseChange(ClinicalRecord):
    """One prescription of the regimen: `mg_per_day` from `start_date` until the next change (0 = stopped)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="dose_changes")
    start_date = models.DateField(_("start date"))
    mg_per_day = models.DecimalField(
        _("dose (mg/day)"), max_digits=4, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MG_PER_DAY_MAX)],
    )
    phase = models.CharField(max_length=12, choices=Phase.choices)
    change_reason = models.CharField(_("reason for change"), max_length=250, blank=True)
    out_of_range_reason = models.CharField(
        _("reason for a dose outside the protocol range"), max_length=250, blank=True
    )
    prescribed_by = models.CharField(_("prescribed by"), max_length=120)

    class Meta:
        ordering = ["patient", "start_date"]
        constraints = [models.UniqueConstraint(fields=["patient", "start_date"], name="one_dose_change_per_day")]

    def __str__(self) -> str:
        return f"{self.patient} {self.mg_per_day.normalize():f} mg/day from {self.start_date}"


class Trough(ClinicalRecord):
    """A sirolimus blood level, and the physician's decision on the dose it suggests."""

    class Review(models.TextChoices):
        OPEN = "", _("Not reviewed")
        ACCEPTED = "accepted", _("Suggestion accepted")
        DISMISSED = "dismissed", _("Suggestion dismissed")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="troughs")
    sample_date = models.DateField(_("sample date"))
    sample_time = models.TimeField(_("sample time"), null=True, blank=True)
    hours_since_dose = models.DecimalField(
        _("hours since last dose"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(96)],
    )
    ng_ml = models.DecimalField(
        _("level (ng/mL)"), max_digits=5, decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(NG_ML_MAX)],
    )
    lab = models.CharField(_("laboratory"), max_length=120, blank=True)
    review = models.CharField(_("review"), max_length=12, choices=Review.choices, blank=True, default=Review.OPEN)
    review_reason = models.CharField(_("review reason"), max_length=250, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resulting_dose = models.OneToOneField(
        DoseChange, on_delete=models.PROTECT, null=True, blank=True, related_name="from_trough",
        verbose_name=_("dose change from the suggestion"),
    )

    class Meta:
        ordering = ["patient", "sample_date", "sample_time", "id"]
        indexes = [models.Index(fields=["patient", "sample_date"])]

    def __str__(self) -> str:
        return f"{self.patient} {self.ng_ml} ng/mL on {self.sample_date}"


class ConMed(ClinicalRecord):
    """A concomitant medication; each step of a glucocorticoid taper is its own entry (dose and dates)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="con_meds")
    name = models.CharField(_("medication"), max_length=120)
    dose = models.CharField(_("dose"), max_length=80, blank=True, help_text=_("e.g. 20 mg/day"))
    start_date = models.DateField(_("start date"))
    stop_date = models.DateField(_("stop date"), null=True, blank=True)
    indication = models.CharField(_("indication"), max_length=160)
    glucocorticoid_taper = models.BooleanField(_("step of a glucocorticoid taper"), default=False)

    class Meta:
        ordering = ["patient", "start_date", "id"]
        verbose_name = "concomitant medication"

    def __str__(self) -> str:
        return f"{self.name} from {self.start_date}"
