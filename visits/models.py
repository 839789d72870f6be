from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import ClinicalRecord
from patients.models import Patient

from .messages import visit_name
from .response import Category
from .schedule import UNSCHEDULED

PLATELETS_MAX = 1500


class ScheduledVisit(ClinicalRecord):
    """A planned protocol slot: its target date and window, fixed at enrolment from the schedule."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="slots")
    code = models.CharField(max_length=16)
    target_date = models.DateField(_("target date"))
    earliest = models.DateField(_("window opens"))
    latest = models.DateField(_("window closes"))

    class Meta:
        ordering = ["patient", "target_date"]
        constraints = [models.UniqueConstraint(fields=["patient", "code"], name="one_slot_per_code")]

    def __str__(self) -> str:
        return f"{self.patient} {visit_name(self.code)}"


class Visit(ClinicalRecord):
    """What was recorded at a visit: a protocol slot's, or an unscheduled one (slot is null)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    slot = models.OneToOneField(
        ScheduledVisit, on_delete=models.PROTECT, null=True, blank=True, related_name="visit",
        verbose_name=_("scheduled visit"),
    )
    visit_date = models.DateField(_("visit date"))
    platelets = models.DecimalField(
        _("platelet count (×10⁹/L)"), max_digits=6, decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(PLATELETS_MAX)],
    )
    bleeding_grade = models.PositiveSmallIntegerField(
        _("WHO bleeding grade"), null=True, blank=True, validators=[MaxValueValidator(4)]
    )
    bleeding_reported = models.BooleanField(
        _("bleeding (reported without a grade)"), null=True, blank=True,
        help_text=_("Only for imported data that gives bleeding yes/no without a WHO grade."),
    )
    haemoglobin = models.DecimalField(
        _("haemoglobin (g/L)"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(250)],
    )
    white_cells = models.DecimalField(
        _("white cells (×10⁹/L)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
    )
    out_of_window_days = models.SmallIntegerField(
        _("days outside window"), default=0,
        help_text=_("Negative when early, positive when late; 0 inside the window or for unscheduled visits."),
    )
    # Derived on save by visits.services.response_recompute, never entered; not part of the audit trail.
    DERIVED_FIELDS = ("category", "in_rescue_window")
    category = models.CharField(max_length=2, choices=[(c.value, c.value) for c in Category], editable=False)
    in_rescue_window = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["patient", "visit_date", "id"]
        indexes = [models.Index(fields=["patient", "visit_date"])]

    def __str__(self) -> str:
        return f"{self.patient} {visit_name(self.code)} {self.visit_date}"

    @property
    def code(self) -> str:
        return self.slot.code if self.slot_id else UNSCHEDULED


class RescueTherapy(ClinicalRecord):
    """Rescue treatment; counts within the protocol's window after it do not confirm a response."""

    class Kind(models.TextChoices):
        IVIG = "ivig", _("IVIG")
        TRANSFUSION = "transfusion", _("Platelet transfusion")
        GLUCOCORTICOID = "glucocorticoid", _("New or increased glucocorticoid")
        NEW_ITP_DRUG = "new_itp_drug", _("New ITP drug")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="rescue_therapies")
    given_on = models.DateField(_("date given"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    details = models.CharField(_("details"), max_length=200, blank=True)

    class Meta:
        ordering = ["patient", "given_on"]
        verbose_name_plural = _("rescue therapies")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.given_on}"


class ResponseSummary(models.Model):
    """A patient's response, derived from the visits by response_recompute in the writing transaction.

    Derived, so it keeps no history of its own: the visits' history is the audit trail.
    """

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, primary_key=True, related_name="response")
    best_response = models.CharField(max_length=2, default=Category.NE)
    current_status = models.CharField(max_length=2, default=Category.NE)
    confirmed = models.BooleanField(default=False)
    confirmed_category = models.CharField(max_length=2, blank=True)
    response_date = models.DateField(null=True)
    time_to_response_days = models.IntegerField(null=True)
    time_to_confirmed_response_days = models.IntegerField(null=True)  # IWG: day 0 to the first of the pair
    relapsed = models.BooleanField(default=False)
    relapse_date = models.DateField(null=True)
    downgraded = models.BooleanField(default=False)  # a confirmed CR was lost to R (two counts), at any time
    downgrade_date = models.DateField(null=True)
    cr_lost_date = models.DateField(null=True)  # the first loss of a confirmed CR, to R or to NR
    # Every change of the confirmed level, oldest first: {"kind", "from", "to", "date", "confirmed_on"}
    # (kinds: confirmed, upgraded, downgrade, relapse; dates ISO). Kept whatever later counts do.
    events = models.JSONField(default=list)
    rescue_flagged = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.patient}: {self.current_status}"

    @property
    def losses(self) -> list[dict]:
        """The loss events (downgrades and relapses), oldest first."""
        return [e for e in self.events if e["kind"] in ("downgrade", "relapse")]
