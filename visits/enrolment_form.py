"""The enrolment form: eligibility, consent, demographics, history and the baseline visit, parsed into
visits.enrolment's input."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from casebook.forms import EntryForm
from itp_trial.clock import study_today
from itp_trial.forms import DATE_INPUT, DecimalInput
from patients.eligibility import PriorTherapyInput
from patients.forms import YES_NO_UNKNOWN, form_row, yes_no
from patients.models import Eligibility
from patients.vocabulary import FIRST_LINE, SecondLine, Sex, Therapy

from . import help as visit_help
from .enrolment import ConsentInput, EligibilityInput, EnrolmentInput
from .forms import bleeding_field, platelets_field
from .protocol import current_protocol
from .services import VisitValues

# The checklist's items as the form asks them (SPEC §1), whole sentences in every language.
CRITERIA_LABELS = {
    "primary_itp": _("Primary ITP"),
    "two_low_counts": _("At least two low platelet counts"),
    "normal_morphology": _("Normal blood cell morphology"),
    "no_splenomegaly": _("No splenomegaly on examination"),
    "megakaryocytes_normal": _("Bone-marrow megakaryocytes normal or raised"),
    "secondary_causes_excluded": _("Secondary causes excluded"),
    "first_line_failed": _("Treated first-line (glucocorticoids and/or IVIG) and relapsed or did not respond"),
}


class EnrolmentForm(EntryForm):
    # Eligibility checklist (SPEC §1)
    primary_itp = forms.BooleanField(required=False)
    two_low_counts = forms.BooleanField(required=False)
    normal_morphology = forms.BooleanField(required=False)
    no_splenomegaly = forms.BooleanField(required=False)
    megakaryocytes_normal = forms.BooleanField(required=False)
    secondary_causes_excluded = forms.BooleanField(required=False)
    first_line_failed = forms.BooleanField(required=False)
    second_line = forms.ChoiceField(
        label=_("Previous second-line therapy"), choices=SecondLine.choices, widget=forms.RadioSelect,
        help_text=_("Second-line therapies (TPO receptor agonists, rituximab, cyclosporine, azathioprine …) should be "
                    "stopped at least 1 month before day 0 (washout). List them below with their stop dates; a "
                    "shorter washout can be enrolled only after acknowledging the warning."),
        error_messages={"required": _("Say whether the patient had a second-line therapy before sirolimus.")},
    )
    washout_warning_acknowledged = forms.BooleanField(
        required=False, label=_("I acknowledge a second-line therapy was stopped less than 1 month before start")
    )
    checked_on = forms.DateField(label=_("Checklist date"), widget=DATE_INPUT)
    # Consent
    consent_date = forms.DateField(label=_("Written consent date"), widget=DATE_INPUT)
    consent_version = forms.CharField(label=_("Consent form version"), max_length=32)
    consent_obtained_by = forms.CharField(label=_("Consent obtained by"), max_length=120)
    # Demographics and history
    initials = forms.CharField(label=_("Initials (optional)"), required=False, max_length=8,
                               help_text=_("Helps you find the patient on the ward; never exported."))
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—")] + Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE_INPUT)
    weight_kg = forms.DecimalField(label=_("Weight (kg)"), required=False, min_value=2, max_value=300,
                                   max_digits=5, decimal_places=1, widget=DecimalInput())
    diagnosis_date = forms.DateField(label=_("ITP diagnosis date"), widget=DATE_INPUT)
    first_line = forms.MultipleChoiceField(
        label=_("First-line therapies received"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(t.value, t.label) for t in Therapy if t in FIRST_LINE],
    )
    early_steroid_effective = forms.TypedChoiceField(
        label=_("Early glucocorticoid therapy effective"), choices=YES_NO_UNKNOWN, coerce=yes_no,
        empty_value=None, required=False,
    )
    steroid_taper_at_start = forms.BooleanField(label=_("Glucocorticoid taper in progress at start"), required=False)
    # Treatment start and baseline
    start_date = forms.DateField(label=_("Sirolimus start (day 0, first dose)"), widget=DATE_INPUT)
    baseline_visit_date = forms.DateField(label=_("Baseline count date"), widget=DATE_INPUT)
    baseline_platelets = platelets_field(_("Baseline platelet count (×10⁹/L)"))
    baseline_bleeding_grade = bleeding_field(_("Baseline WHO bleeding grade"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # a new record: a one-time token against double submission
        for name in Eligibility.CRITERIA:
            self.fields[name].label = CRITERIA_LABELS[name]
            self.fields[name].help_text = Eligibility._meta.get_field(name).help_text
        self.fields["checked_on"].initial = study_today()
        protocol = current_protocol()
        self.fields["start_date"].help_text = _("Day 0 is the day of the first sirolimus dose: every visit window "
                                                 "counts from it, and it is not changed after enrolment.")
        self.fields["baseline_visit_date"].help_text = visit_help.baseline_date_help()
        self.fields["baseline_platelets"].help_text = visit_help.baseline_platelets_help(protocol)
        self.fields["baseline_bleeding_grade"].help_text = visit_help.bleeding_help(protocol)
        self.fields["washout_warning_acknowledged"].help_text = _(
            "Shown when a second-line therapy was stopped less than 1 month before day 0: the protocol allows "
            "enrolment only when this is acknowledged, and it stays on the patient's record.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(
            Fieldset(_("Eligibility checklist"), *Eligibility.CRITERIA, "second_line",
                     Div("washout_warning_acknowledged", css_class="border border-warning rounded p-2 mb-3"),
                     "checked_on"),
            Fieldset(_("Written informed consent"), form_row("consent_date", "consent_version", "consent_obtained_by",
                                                      cols=3)),
            Fieldset(_("Demographics"), "initials", form_row("sex", "birth_date", "weight_kg", cols=3)),
            Fieldset(_("ITP history"), form_row("diagnosis_date", "early_steroid_effective"), "first_line",
                     "steroid_taper_at_start",
                     HTML(format_lazy('<p class="form-text">{}</p>',
                                      _("Prior second-line therapies are listed below.")))),
            Fieldset(_("Treatment start and baseline"), form_row("start_date", "baseline_visit_date"),
                     "baseline_platelets", "baseline_bleeding_grade"),
        )

    def enrolment(self, second_line: list[PriorTherapyInput]) -> EnrolmentInput:
        d = self.cleaned_data
        first_line = [PriorTherapyInput(therapy=t) for t in d["first_line"]]
        return EnrolmentInput(
            initials=d["initials"], sex=d["sex"], birth_date=d["birth_date"], diagnosis_date=d["diagnosis_date"],
            start_date=d["start_date"], weight_kg=d.get("weight_kg"),
            early_steroid_effective=d.get("early_steroid_effective"),
            steroid_taper_at_start=d["steroid_taper_at_start"],
            prior_therapies=first_line + second_line,
            eligibility=EligibilityInput(
                criteria={name: d[name] for name in Eligibility.CRITERIA},
                second_line_washout=d["second_line"] != SecondLine.RECENT,
                second_line=d["second_line"],
                washout_warning_acknowledged=d["washout_warning_acknowledged"],
                checked_on=d["checked_on"],
            ),
            consent=ConsentInput(consent_date=d["consent_date"], version=d["consent_version"],
                                 obtained_by=d["consent_obtained_by"]),
            baseline=VisitValues(visit_date=d["baseline_visit_date"], platelets=d["baseline_platelets"],
                                 bleeding_grade=d["baseline_bleeding_grade"]),
        )
