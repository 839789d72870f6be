"""Adverse events (CTCAE v5), safety lab panels with their grading, AE proposals, Treg.

Derived columns (a lab value's standard-unit value and grade) are written by safety.services, never by save().
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import ClinicalRecord
from patients.models import Patient

from .ctcae import ANALYTES, PANEL_LABELS
from .terms import CTCAE_VERSION


class Relation(models.TextChoices):
    UNRELATED = "unrelated", _("Unrelated")
    UNLIKELY = "unlikely", _("Unlikely")
    POSSIBLE = "possible", _("Possible")
    PROBABLE = "probable", _("Probable")
    DEFINITE = "definite", _("Definite")
    NOT_ASSESSED = "not_assessed", _("Not assessed (imported)")


class Action(models.TextChoices):
    NONE = "none", _("None")
    DOSE_REDUCED = "dose_reduced", _("Dose reduced")
    INTERRUPTED = "interrupted", _("Interrupted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    ONGOING = "ongoing", _("Not recovered / ongoing")
    RECOVERING = "recovering", _("Recovering")
    RECOVERED = "recovered", _("Recovered")
    SEQUELAE = "sequelae", _("Recovered with sequelae")
    FATAL = "fatal", _("Fatal")
    UNKNOWN = "unknown", _("Unknown")


class LabSample(ClinicalRecord):
    """One safety lab draw: its values are LabValue rows (lipids, liver, kidney)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="lab_samples")
    sample_date = models.DateField(_("sample date"))
    laboratory = models.CharField(_("laboratory"), max_length=80, blank=True)

    class Meta:
        ordering = ["patient", "sample_date", "id"]
        indexes = [models.Index(fields=["patient", "sample_date"])]

    def __str__(self) -> str:
        return f"{self.patient} labs {self.sample_date}"


class LabValue(ClinicalRecord):
    """A value as the lab reported it (unit, reference range), with its standard-unit value and CTCAE grade."""

    sample = models.ForeignKey(LabSample, on_delete=models.PROTECT, related_name="values")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="lab_values")
    sample_date = models.DateField(_("sample date"))  # the sample's, repeated for the schedule's aggregate
    panel = models.CharField(max_length=12, choices=[(p.value, label) for p, label in PANEL_LABELS.items()])
    analyte = models.CharField(max_length=20, choices=[(a.code, a.label) for a in ANALYTES])
    value = models.DecimalField(max_digits=10, decimal_places=3, validators=[MinValueValidator(0)])
    unit = models.CharField(max_length=20)
    lln = models.DecimalField(_("LLN"), max_digits=10, decimal_places=3, null=True, blank=True)
    uln = models.DecimalField(_("ULN"), max_digits=10, decimal_places=3, null=True, blank=True)
    # Derived by safety.services.lab_sample_record
    value_std = models.DecimalField(max_digits=12, decimal_places=4, editable=False)
    uln_std = models.DecimalField(max_digits=12, decimal_places=4, null=True, editable=False)
    baseline_std = models.DecimalField(max_digits=12, decimal_places=4, null=True, editable=False)
    grade = models.PositiveSmallIntegerField(null=True, editable=False)
    graded_term = models.CharField(max_length=80, blank=True, editable=False)

    class Meta:
        ordering = ["sample", "id"]
        indexes = [models.Index(fields=["patient", "panel", "sample_date"])]
        constraints = [models.UniqueConstraint(fields=["sample", "analyte"], name="one_value_per_analyte")]

    def __str__(self) -> str:
        return f"{self.get_analyte_display()} {self.value} {self.unit}"


class AdverseEvent(ClinicalRecord):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    term = models.CharField(_("CTCAE term"), max_length=120)
    coded = models.BooleanField(default=True, help_text=_("False for a free-text 'other' term (uncoded)."))
    meddra_code = models.CharField(_("MedDRA code"), max_length=10, blank=True)
    soc = models.CharField(_("system organ class"), max_length=80, blank=True)
    grade = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    onset_date = models.DateField(_("onset date"))
    end_date = models.DateField(_("resolution date"), null=True, blank=True)
    serious = models.BooleanField(_("serious"), default=False)
    relation = models.CharField(_("relation to sirolimus"), max_length=12, choices=Relation.choices)
    action = models.CharField(_("action taken"), max_length=14, choices=Action.choices, default=Action.NONE)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.ONGOING)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    ctcae_version = models.CharField(_("CTCAE version"), max_length=8, default=CTCAE_VERSION)
    lab_value = models.OneToOneField(LabValue, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="adverse_event")

    class Meta:
        ordering = ["patient", "onset_date", "id"]

    def __str__(self) -> str:
        return f"{self.term} grade {self.grade} ({self.onset_date})"


class AeProposal(ClinicalRecord):
    """A graded lab value waiting for a physician: confirmed (creating the AE) or dismissed with a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="ae_proposals")
    lab_value = models.OneToOneField(LabValue, on_delete=models.PROTECT, related_name="proposal")
    term = models.CharField(max_length=120)
    grade = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    dismiss_reason = models.CharField(max_length=250, blank=True)
    adverse_event = models.OneToOneField(AdverseEvent, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="proposal")

    class Meta:
        ordering = ["patient", "id"]

    def __str__(self) -> str:
        return f"{self.term}, grade {self.grade}, from the lab of {self.lab_value.sample_date:%Y-%m-%d}"


class TregMeasurement(ClinicalRecord):
    """CD4+CD25high CD127low cells as % of CD4+ T cells, at baseline and month 3."""

    class Timepoint(models.TextChoices):
        BASELINE = "baseline", _("Baseline (before sirolimus)")
        MONTH3 = "month3", _("Month 3")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treg")
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices)
    sample_date = models.DateField(_("sample date"), null=True, blank=True)
    # xgettext:no-python-format
    percent = models.DecimalField(_("Treg (% of CD4+)"), max_digits=5, decimal_places=2,
                                  validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        ordering = ["patient", "timepoint"]
        constraints = [models.UniqueConstraint(fields=["patient", "timepoint"], name="one_treg_per_timepoint")]

    def __str__(self) -> str:
        return f"{self.patient} Treg {self.timepoint}: {self.percent}%"


class HealthyControl(ClinicalRecord):
    """The healthy-controls register: one Treg value per control, recorded once."""

    control_id = models.CharField(_("control id"), max_length=16, unique=True)
    sample_date = models.DateField(_("sample date"), null=True, blank=True)
    # xgettext:no-python-format
    percent = models.DecimalField(_("Treg (% of CD4+)"), max_digits=5, decimal_places=2,
                                  validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        ordering = ["control_id"]

    def __str__(self) -> str:
        return f"{self.control_id}: {self.percent}%"
