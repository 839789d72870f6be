"""Thin forms: parse what the nurse or physician typed; the services decide."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casebook.forms import EntryForm
from itp_trial.forms import DecimalInput, PlausibleForm
from visits.forms import DATE_INPUT

from .models import MG_PER_DAY_MAX, NG_ML_MAX, Phase
from .protocol import PROTOCOL
from .services import ConMedValues, DoseValues, TroughValues


def _helper(*rows) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*rows)
    return helper


def _pair(a: str, b: str) -> Div:
    return Div(Div(Field(a), css_class="col-sm-6"), Div(Field(b), css_class="col-sm-6"), css_class="row")


class DoseForm(EntryForm):
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    mg_per_day = forms.DecimalField(
        label=_("Dose (mg/day)"), min_value=0, max_value=MG_PER_DAY_MAX, max_digits=4, decimal_places=2,
        widget=DecimalInput(),
        help_text=_("Protocol ranges (mg/day): adults start 2–4, maintain 1–2; children (< 18 on this date) start "
                  "1–2, maintain 0.5–1. A dose outside its range is saved only with a reason."),
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=[c for c in Phase.choices if c[0] != Phase.STOP],
                              help_text=_("To stop sirolimus use “Stop sirolimus” on the patient page."))
    change_reason = forms.CharField(label=_("Why this dose (reason for the prescription)"), required=False,
                                    max_length=250)
    prescribed_by = forms.CharField(label=_("Prescribed by"), required=False, max_length=120,
                                    help_text=_("Leave empty if you prescribed this dose yourself."))
    out_of_range_reason = forms.CharField(
        label=_("Reason for a dose outside the protocol range"), required=False, max_length=250,
        help_text=_("Needed only when the dose is outside the range for the patient's age group."),
    )

    def __init__(self, *args, editing: bool = False, stop: bool = False, prescriber: bool = True, **kwargs):
        super().__init__(*args, editing=editing, **kwargs)
        if not prescriber and not editing:  # a nurse records a physician's prescription: name the physician
            field = self.fields["prescribed_by"]
            field.label = _("Prescribing physician")
            field.required = True
            field.help_text = _("The physician who prescribed this dose.")
            field.error_messages["required"] = _("Name the physician who prescribed this dose.")
        if stop:  # correcting a stop keeps it a stop
            self.fields["phase"].choices = [(Phase.STOP, Phase.STOP.label)]
            self.fields["phase"].help_text = ""
        self.helper = self.entry_helper(_pair("start_date", "mg_per_day"), _pair("phase", "prescribed_by"),
                                        Field("change_reason"), Field("out_of_range_reason"))

    def values(self) -> DoseValues:
        data = self.cleaned_data
        return DoseValues(start_date=data["start_date"], mg_per_day=data["mg_per_day"], phase=data["phase"],
                          change_reason=data["change_reason"], out_of_range_reason=data["out_of_range_reason"],
                          prescribed_by=data["prescribed_by"])


class StopForm(EntryForm):
    stop_date = forms.DateField(label=_("Stop date (first day without sirolimus)"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason for stopping"), max_length=250, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason sirolimus is stopped.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.entry_helper(Field("stop_date"), Field("reason"))


class TroughForm(EntryForm):
    sample_date = forms.DateField(label=_("Sample date"), widget=DATE_INPUT)
    sample_time = forms.TimeField(label=_("Sample time"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ng_ml = forms.DecimalField(
        label=_("Sirolimus level (ng/mL)"), min_value=0, max_value=NG_ML_MAX, max_digits=5, decimal_places=1,
        widget=DecimalInput(),
    )
    hours_since_dose = forms.DecimalField(
        label=_("Hours since the last dose"), required=False, min_value=0, max_value=96, max_digits=4, decimal_places=1,
        widget=DecimalInput(),
        help_text=_("A trough is drawn 20–28 h after a once-daily dose, just before the next one."),
    )
    lab = forms.CharField(label=_("Laboratory"), required=False, max_length=120)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, editing=editing, **kwargs)
        self.fields["ng_ml"].help_text = gettext(
            "Target %(low)s–%(high)s ng/mL. A level outside it is flagged and a physician is shown a suggested "
            "dose.") % {"low": f"{PROTOCOL.target_low:g}", "high": f"{PROTOCOL.target_high:g}"}
        self.helper = self.entry_helper(_pair("sample_date", "sample_time"), _pair("ng_ml", "hours_since_dose"),
                                        Field("lab"))

    def values(self) -> TroughValues:
        data = self.cleaned_data
        return TroughValues(sample_date=data["sample_date"], sample_time=data["sample_time"], ng_ml=data["ng_ml"],
                            hours_since_dose=data["hours_since_dose"], lab=data["lab"])


class DecisionForm(PlausibleForm, forms.Form):
    """A physician's decision on a level, as they saw it (its version)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AcceptForm(DecisionForm):
    start_date = forms.DateField(label=_("New dose from"), widget=DATE_INPUT)
    out_of_range_reason = forms.CharField(
        label=_("Reason for a dose outside the protocol range"), required=False, max_length=250,
        help_text=_("Needed only when the suggested dose is outside the range for the patient's age group."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("start_date"), Field("out_of_range_reason"))
        self.helper.render_hidden_fields = True


class DismissForm(DecisionForm):
    reason = forms.CharField(label=_("Reason for dismissing the suggestion"), max_length=250,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason the suggestion is dismissed.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("reason"))
        self.helper.render_hidden_fields = True


class ConMedForm(EntryForm):
    name = forms.CharField(label=_("Medication"), max_length=120)
    dose = forms.CharField(label=_("Dose"), required=False, max_length=80, help_text=_("e.g. prednisone 20 mg/day"))
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    stop_date = forms.DateField(label=_("Stop date"), required=False, widget=DATE_INPUT)
    indication = forms.CharField(label=_("Indication"), max_length=160)
    glucocorticoid_taper = forms.BooleanField(
        label=_("Step of a glucocorticoid taper"), required=False,
        help_text=_("Record each step of the taper as its own entry, with its dose and dates."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, editing=editing, **kwargs)
        self.helper = self.entry_helper(_pair("name", "dose"), _pair("start_date", "stop_date"), Field("indication"),
                                        Field("glucocorticoid_taper"))

    def values(self) -> ConMedValues:
        data = self.cleaned_data
        return ConMedValues(name=data["name"], dose=data["dose"], start_date=data["start_date"],
                            stop_date=data["stop_date"], indication=data["indication"],
                            glucocorticoid_taper=data["glucocorticoid_taper"])
