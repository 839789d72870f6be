from crispy_forms.layout import Div, Field
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casebook.forms import EntryForm
from itp_trial.forms import DATE_INPUT, DecimalInput, PlausibleForm

from .eligibility import PriorTherapyInput
from .vocabulary import FIRST_LINE, Sex, Therapy

YES_NO_UNKNOWN = [("", _("Unknown")), ("true", _("Yes")), ("false", _("No"))]


def yes_no(value):
    return {"true": True, "false": False}.get(value)


def form_row(*names: str, cols: int = 2) -> Div:
    width = 12 // cols
    return Div(*[Div(Field(n), css_class=f"col-md-{width}") for n in names], css_class="row")


class SecondLineForm(PlausibleForm, forms.Form):
    therapy = forms.ChoiceField(
        label=_("Second-line therapy"), required=False,
        choices=[("", "—")] + [(t.value, t.label) for t in Therapy if t not in FIRST_LINE],
    )
    other_name = forms.CharField(label=_("Name (if other)"), required=False, max_length=80)
    stop_date = forms.DateField(label=_("Stop date"), required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("therapy") == Therapy.OTHER and not data.get("other_name"):
            self.add_error("other_name", gettext("Name the other therapy."))
        if not data.get("therapy") and (data.get("stop_date") or data.get("other_name")):
            self.add_error("therapy", gettext("Choose the therapy this stop date belongs to."))
        return data

    def therapy_input(self) -> PriorTherapyInput | None:
        d = self.cleaned_data
        if not d.get("therapy"):
            return None
        return PriorTherapyInput(therapy=d["therapy"], stop_date=d.get("stop_date"),
                                 other_name=d.get("other_name", ""))


SecondLineFormSet = forms.formset_factory(SecondLineForm, extra=3, max_num=12)


class PatientEditForm(EntryForm):
    """Corrections to demographics and history. Day 0 is not editable here: it moves the whole schedule."""

    initials = forms.CharField(label=_("Initials (optional)"), required=False, max_length=8,
                               help_text=_("Helps you find the patient on the ward; never exported."))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE_INPUT)
    weight_kg = forms.DecimalField(label=_("Weight (kg)"), required=False, min_value=2, max_value=300,
                                   max_digits=5, decimal_places=1, widget=DecimalInput())
    diagnosis_date = forms.DateField(label=_("ITP diagnosis date"), widget=DATE_INPUT)
    early_steroid_effective = forms.TypedChoiceField(
        label=_("Early glucocorticoid therapy effective"), choices=YES_NO_UNKNOWN, coerce=yes_no,
        empty_value=None, required=False,
    )
    steroid_taper_at_start = forms.BooleanField(label=_("Glucocorticoid taper in progress at start"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, editing=True, **kwargs)
        self.helper = self.entry_helper("initials", form_row("sex", "birth_date", "weight_kg", cols=3),
                                        form_row("diagnosis_date", "early_steroid_effective"),
                                        "steroid_taper_at_start")


class OffStudyForm(EntryForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)  # a marked withdrawal
    off_study_date = forms.DateField(label=_("Off-study date"), widget=DATE_INPUT)
    off_study_reason = forms.CharField(label=_("Reason"), max_length=250, widget=forms.Textarea(attrs={"rows": 2}),
                                       error_messages={"required": _("Give the reason the patient leaves the study.")})
