"""The enrolment form: eligibility, consent, demographics, history and the baseline visit, parsed into
visits.enrolment's input."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms

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
        label="Previous second-line therapy", choices=SecondLine.choices, widget=forms.RadioSelect,
        help_text="Second-line therapies (TPO receptor agonists, rituximab, cyclosporine, azathioprine …) should be "
                  "stopped at least 1 month before day 0 (washout). List them below with their stop dates; a "
                  "shorter washout can be enrolled only after acknowledging the warning.",
        error_messages={"required": "Say whether the patient had a second-line therapy before sirolimus."},
    )
    washout_warning_acknowledged = forms.BooleanField(
        required=False, label="I acknowledge a second-line therapy was stopped less than 1 month before start"
    )
    checked_on = forms.DateField(label="Checklist date", widget=DATE_INPUT)
    # Consent
    consent_date = forms.DateField(label="Written consent date", widget=DATE_INPUT)
    consent_version = forms.CharField(label="Consent form version", max_length=32)
    consent_obtained_by = forms.CharField(label="Consent obtained by", max_length=120)
    # Demographics and history
    initials = forms.CharField(label="Initials (optional)", required=False, max_length=8,
                               help_text="Helps you find the patient on the ward; never exported.")
    sex = forms.ChoiceField(choices=[("", "—")] + Sex.choices)
    birth_date = forms.DateField(label="Birth date", widget=DATE_INPUT)
    weight_kg = forms.DecimalField(label="Weight (kg)", required=False, min_value=2, max_value=300,
                                   max_digits=5, decimal_places=1, widget=DecimalInput())
    diagnosis_date = forms.DateField(label="ITP diagnosis date", widget=DATE_INPUT)
    first_line = forms.MultipleChoiceField(
        label="First-line therapies received", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(t.value, t.label) for t in Therapy if t in FIRST_LINE],
    )
    early_steroid_effective = forms.TypedChoiceField(
        label="Early glucocorticoid therapy effective", choices=YES_NO_UNKNOWN, coerce=yes_no,
        empty_value=None, required=False,
    )
    steroid_taper_at_start = forms.BooleanField(label="Glucocorticoid taper in progress at start", required=False)
    # Treatment start and baseline
    start_date = forms.DateField(label="Sirolimus start (day 0, first dose)", widget=DATE_INPUT)
    baseline_visit_date = forms.DateField(label="Baseline count date", widget=DATE_INPUT)
    baseline_platelets = platelets_field("Baseline platelet count (×10⁹/L)")
    baseline_bleeding_grade = bleeding_field("Baseline WHO bleeding grade")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # a new record: a one-time token against double submission
        for name in Eligibility.CRITERIA:
            model_field = Eligibility._meta.get_field(name)
            label = str(model_field.verbose_name)
            self.fields[name].label = label[0].upper() + label[1:]
            self.fields[name].help_text = model_field.help_text
        self.fields["checked_on"].initial = study_today()
        protocol = current_protocol()
        self.fields["start_date"].help_text = ("Day 0 is the day of the first sirolimus dose: every visit window "
                                               "counts from it, and it is not changed after enrolment.")
        self.fields["baseline_visit_date"].help_text = visit_help.baseline_date_help()
        self.fields["baseline_platelets"].help_text = visit_help.baseline_platelets_help(protocol)
        self.fields["baseline_bleeding_grade"].help_text = visit_help.bleeding_help(protocol)
        self.fields["washout_warning_acknowledged"].help_text = (
            "Shown when a second-line therapy was stopped less than 1 month before day 0: the protocol allows "
            "enrolment only when this is acknowledged, and it stays on the patient's record.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(
            Fieldset("Eligibility checklist", *Eligibility.CRITERIA, "second_line",
                     Div("washout_warning_acknowledged", css_class="border border-warning rounded p-2 mb-3"),
                     "checked_on"),
            Fieldset("Written informed consent", form_row("consent_date", "consent_version", "consent_obtained_by",
                                                      cols=3)),
            Fieldset("Demographics", "initials", form_row("sex", "birth_date", "weight_kg", cols=3)),
            Fieldset("ITP history", form_row("diagnosis_date", "early_steroid_effective"), "first_line",
                     "steroid_taper_at_start",
                     HTML('<p class="form-text">Prior second-line therapies are listed below.</p>')),
            Fieldset("Treatment start and baseline", form_row("start_date", "baseline_visit_date"),
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
