from crispy_forms.layout import Div, Field, Submit
from django import forms

from casebook.forms import EntryForm
from itp_trial.forms import DATE_INPUT, DecimalInput

from . import help as field_help
from .models import RescueTherapy
from .protocol import current_protocol
from .services import VisitValues
from .validation import PLATELETS_MAX, PLATELETS_MIN

WHO_BLEEDING = [
    (0, "0 — no bleeding"),
    (1, "1 — petechial bleeding"),
    (2, "2 — mild blood loss"),
    (3, "3 — gross blood loss"),
    (4, "4 — debilitating blood loss"),
]

def bleeding_field(label: str = "WHO bleeding grade") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=WHO_BLEEDING, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Choose the WHO bleeding grade (0 if there is no bleeding)."},
    )


def platelets_field(label: str = "Platelet count (×10⁹/L)") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=PLATELETS_MIN, max_value=PLATELETS_MAX, max_digits=6, decimal_places=1,
        widget=DecimalInput(),
        error_messages={
            "min_value": f"Must be between {PLATELETS_MIN} and {PLATELETS_MAX}.",
            "max_value": f"Must be between {PLATELETS_MIN} and {PLATELETS_MAX}.",
        },
    )


class VisitForm(EntryForm):
    visit_date = forms.DateField(label="Visit date", widget=DATE_INPUT)
    platelets = platelets_field()
    bleeding_grade = bleeding_field()
    haemoglobin = forms.DecimalField(label="Haemoglobin (g/L)", required=False, min_value=0, max_value=250,
                                     max_digits=5, decimal_places=1, widget=DecimalInput())
    white_cells = forms.DecimalField(label="White cells (×10⁹/L)", required=False, min_value=0, max_value=500,
                                     max_digits=5, decimal_places=2, widget=DecimalInput())

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, editing=editing, **kwargs)
        protocol = current_protocol()
        self.fields["visit_date"].help_text = field_help.visit_date_help()
        self.fields["platelets"].help_text = field_help.platelets_help(protocol)
        self.fields["bleeding_grade"].help_text = field_help.bleeding_help(protocol)
        self.helper = self.entry_helper(
            Div(Div(Field("visit_date"), css_class="col-sm-6"), Div(Field("platelets"), css_class="col-sm-6"),
                css_class="row"),
            Field("bleeding_grade"),
            Div(Div(Field("haemoglobin"), css_class="col-sm-6"), Div(Field("white_cells"), css_class="col-sm-6"),
                css_class="row"),
        )

    def values(self) -> VisitValues:
        data = self.cleaned_data
        return VisitValues(
            visit_date=data["visit_date"], platelets=data["platelets"], bleeding_grade=data["bleeding_grade"],
            haemoglobin=data.get("haemoglobin"), white_cells=data.get("white_cells"),
        )


class RescueForm(EntryForm):
    given_on = forms.DateField(label="Date given", widget=DATE_INPUT)
    kind = forms.ChoiceField(label="Rescue therapy", choices=RescueTherapy.Kind.choices)
    details = forms.CharField(label="Details (drug, dose)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = field_help.rescue_help(current_protocol())
        self.helper = self.entry_helper("given_on", "kind", "details")
        self.helper.add_input(Submit("save", "Save rescue therapy"))

    def rescue_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("given_on", "kind", "details")}
