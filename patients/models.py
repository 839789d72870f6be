from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.models import ClinicalRecord
from itp_trial.roles import CAPABILITIES

from .vocabulary import Sex, Therapy


class Patient(ClinicalRecord):
    """An enrolled subject. Day 0 (`start_date`) is the first sirolimus dose."""

    study_id = models.CharField(_("study id"), max_length=16, unique=True, editable=False)
    initials = models.CharField(
        _("initials"), max_length=8, blank=True,
        help_text=_("Optional, to find the patient on the ward (e.g. “W.L.”). Identifying: never exported."),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(300)],
    )
    diagnosis_date = models.DateField(_("ITP diagnosis date"))
    start_date = models.DateField(_("sirolimus start (day 0)"))
    early_steroid_effective = models.BooleanField(
        _("early glucocorticoid therapy effective"), null=True, blank=True
    )
    steroid_taper_at_start = models.BooleanField(_("glucocorticoid taper in progress at start"), default=False)
    schedule_version = models.CharField(_("schedule version"), max_length=16, editable=False)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False,
        verbose_name=_("enrolled by"),
    )

    # Identifying values: shown on screen to the study team, left out of every export (CSV, audit, interchange).
    PERSONAL_FIELDS = ("initials",)

    class Meta:
        ordering = ["study_id"]
        permissions = CAPABILITIES

    def __str__(self) -> str:
        return self.study_id


class StudyIdSequence(models.Model):
    """One row per prefix; locked while a study id is allocated so ids never collide."""

    prefix = models.CharField(max_length=8, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last_number:03d}"


class Eligibility(ClinicalRecord):
    """The SPEC §1 checklist, ticked by the enrolling user."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="eligibility")
    primary_itp = models.BooleanField(_("primary ITP"))
    two_low_counts = models.BooleanField(_("at least two low platelet counts"))
    normal_morphology = models.BooleanField(_("normal blood cell morphology"))
    no_splenomegaly = models.BooleanField(_("no splenomegaly on examination"))
    megakaryocytes_normal = models.BooleanField(_("bone-marrow megakaryocytes normal or raised"))
    secondary_causes_excluded = models.BooleanField(
        _("secondary causes excluded"),
        help_text=_("connective tissue, thyroid, lymphoproliferative, MDS/aplastic anaemia, haematological "
                    "malignancy, chronic liver disease, hypersplenism, immunodeficiency, infection, drug-induced"),
    )
    first_line_failed = models.BooleanField(
        _("treated first-line (glucocorticoids and/or IVIG) and relapsed or did not respond")
    )
    second_line_washout = models.BooleanField(
        _("any previous second-line therapy stopped at least 1 month before sirolimus")
    )
    washout_warning_acknowledged = models.BooleanField(
        _("recent second-line therapy acknowledged"), default=False
    )
    checked_on = models.DateField(_("checklist date"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("checked by"))

    CRITERIA = (
        "primary_itp",
        "two_low_counts",
        "normal_morphology",
        "no_splenomegaly",
        "megakaryocytes_normal",
        "secondary_causes_excluded",
        "first_line_failed",
    )

    class Meta:
        verbose_name_plural = _("eligibility checklists")

    def __str__(self) -> str:
        return gettext("Eligibility of %(patient)s") % {"patient": self.patient}


class Consent(ClinicalRecord):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    consent_date = models.DateField(_("consent date"))
    form_version = models.CharField(_("consent form version"), max_length=32)  # (`version` counts the record's saves)
    obtained_by = models.CharField(_("obtained by"), max_length=120)

    class Meta:
        ordering = ["consent_date"]

    def __str__(self) -> str:
        return gettext("Consent %(version)s of %(patient)s on %(date)s") % {
            "version": self.form_version, "patient": self.patient, "date": self.consent_date.isoformat()}


class PriorTherapy(ClinicalRecord):
    """A therapy the patient had before sirolimus (first-line or second-line)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prior_therapies")
    therapy = models.CharField(_("therapy"), max_length=20, choices=Therapy.choices)
    other_name = models.CharField(_("name (if other)"), max_length=80, blank=True)
    stop_date = models.DateField(_("stop date"), null=True, blank=True)

    class Meta:
        ordering = ["therapy"]
        verbose_name_plural = _("prior therapies")

    def __str__(self) -> str:
        name = self.other_name if self.therapy == Therapy.OTHER and self.other_name else self.get_therapy_display()
        if not self.stop_date:
            return str(name)
        return gettext("%(therapy)s (stopped %(date)s)") % {"therapy": name, "date": self.stop_date.isoformat()}


class Withdrawal(ClinicalRecord):
    """A patient marked for withdrawal (grade ≥3 AE or another reason); the off-study date and reason complete it.

    The adverse event that started it is named by reference only: safety (above patients) marks the withdrawal."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="withdrawal")
    adverse_event = models.ForeignKey("safety.AdverseEvent", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    marked_on = models.DateField(_("marked for withdrawal on"))
    off_study_date = models.DateField(_("off-study date"), null=True, blank=True)
    off_study_reason = models.CharField(_("off-study reason"), max_length=250, blank=True)

    @property
    def completed(self) -> bool:
        return self.off_study_date is not None

    def __str__(self) -> str:
        return gettext("Withdrawal of %(patient)s") % {"patient": self.patient}
