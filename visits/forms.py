from crispy_forms.layout import Div, Field, Submit
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from casebook.forms import EntryForm
from itp_trial.forms import DATE_INPUT, DecimalInput
from itp_trial.validation import Problem, sentence

from . import help as field_help
from .models import RescueTherapy
from .protocol import current_protocol
from .services import VisitValues
from .validation import PLATELETS_MAX, PLATELETS_MIN

WHO_BLEEDING = [
    (0, _("0 — no bleeding")),
    (1, _("1 — petechial bleeding")),
    (2, _("2 — mild blood loss")),
    (3, _("3 — gross blood loss")),
    (4, _("4 — debilitating blood loss")),
]

# The platelet range's sentence, as visits.messages words it for the rule (one wording for form and rule).
RANGE_MESSAGE = lazy(lambda: sentence(Problem("platelets.range", {"min": PLATELETS_MIN, "max": PLATELETS_MAX})),
                     str)()


def bleeding_field(label: str = _("WHO bleeding grade")) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=WHO_BLEEDING, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the WHO bleeding grade (0 if there is no bleeding).")},
    )


def platelets_field(label: str = _("Platelet count (×10⁹/L)")) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=PLATELETS_MIN, max_value=PLATELETS_MAX, max_digits=6, decimal_places=1,
        widget=DecimalInput(),
        error_messages={"min_value": RANGE_MESSAGE, "max_value": RANGE_MESSAGE},
    )


class VisitForm(EntryForm):
    visit_date = forms.DateField(label=_("Visit date"), widget=DATE_INPUT)
    platelets = platelets_field()
    bleeding_grade = bleeding_field()
    haemoglobin = forms.DecimalField(label=_("Haemoglobin (g/L)"), required=False, min_value=0, max_value=250,
                                     max_digits=5, decimal_places=1, widget=DecimalInput())
    white_cells = forms.DecimalField(label=_("White cells (×10⁹/L)"), required=False, min_value=0, max_value=500,
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
    given_on = forms.DateField(label=_("Date given"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Rescue therapy"), choices=RescueTherapy.Kind.choices)
    details = forms.CharField(label=_("Details (drug, dose)"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = field_help.rescue_help(current_protocol())
        self.helper = self.entry_helper("given_on", "kind", "details")
        self.helper.add_input(Submit("save", _("Save rescue therapy")))

    def rescue_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("given_on", "kind", "details")}
