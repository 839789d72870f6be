"""Thin forms: parse input into the services' inputs; rules live in safety.services."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casebook.forms import EntryForm
from itp_trial.forms import DecimalInput, PlausibleForm
from visits.forms import DATE_INPUT

from .ctcae import ANALYTES, PANEL_LABELS
from .messages import generic_grade, grade_definition, soc_label, term_label
from .models import Action, Outcome, Relation, TregMeasurement
from .services import AeInput, LabInput
from .terms import GENERIC_GRADES, TERMS

OTHER = "__other__"
SERIOUS = [("no", _("No")), ("yes", _("Yes"))]


def _decimal(label: str, required: bool = False, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=10, decimal_places=3,
                              widget=DecimalInput(), **kwargs)


class LabSampleForm(EntryForm):
    """A safety lab draw: one row per analyte (value, unit, LLN, ULN); empty rows are not recorded."""

    sample_date = forms.DateField(label=_("Sample date"), widget=DATE_INPUT)
    laboratory = forms.CharField(label=_("Laboratory"), required=False, max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for analyte in ANALYTES:
            name = {"analyte": analyte.label}
            self.fields[analyte.code] = _decimal(analyte.label, min_value=0)
            self.fields[f"{analyte.code}_unit"] = forms.ChoiceField(
                label=gettext("%(analyte)s unit") % name, choices=[(u, u) for u in analyte.units],
                initial=analyte.unit, required=False)
            self.fields[f"{analyte.code}_lln"] = _decimal(gettext("%(analyte)s LLN") % name,
                                                          initial=analyte.default_lln)
            self.fields[f"{analyte.code}_uln"] = _decimal(gettext("%(analyte)s ULN") % name,
                                                          initial=analyte.default_uln)
            for suffix in ("", "_lln", "_uln"):
                field = self.fields[f"{analyte.code}{suffix}"]
                field.widget.attrs.update({"class": "form-control form-control-sm", "aria-label": field.label})

    def rows(self):
        """(panel label, [(analyte, value field, unit field, lln field, uln field)]) for the template."""
        grouped: dict[str, list] = {}
        for a in ANALYTES:
            grouped.setdefault(PANEL_LABELS[a.panel], []).append(
                (a, self[a.code], self[f"{a.code}_unit"], self[f"{a.code}_lln"], self[f"{a.code}_uln"]))
        return list(grouped.items())

    def values(self) -> list[LabInput]:
        data = self.cleaned_data
        return [LabInput(analyte=a.code, value=data[a.code], unit=data.get(f"{a.code}_unit") or a.unit,
                         lln=data.get(f"{a.code}_lln"), uln=data.get(f"{a.code}_uln"))
                for a in ANALYTES if data.get(a.code) is not None]


def term_choices():
    """The CTCAE terms by system organ class, named in the reader's language (the value is the English term)."""
    grouped: dict[str, list] = {}
    for term in TERMS:
        grouped.setdefault(soc_label(term.soc), []).append((term.name, term_label(term.name)))
    groups = [(soc, sorted(terms, key=lambda choice: choice[1])) for soc, terms in sorted(grouped.items())]
    return [("", gettext("— choose a CTCAE term —")), *groups, (OTHER, gettext("Other (free text, uncoded)"))]


def grade_map() -> dict:
    """Grade definitions per term for the page's script (shown next to the grade choice)."""
    data = {t.name: {str(g): grade_definition(t, g) for g in t.grades} for t in TERMS}
    data[OTHER] = {str(g): generic_grade(g) for g in GENERIC_GRADES}
    return data


def grade_choices():
    return [(g, f"{g} — {generic_grade(g)}") for g in GENERIC_GRADES]


class _AeDetails(PlausibleForm, forms.Form):
    end_date = forms.DateField(label=_("Resolution date"), required=False, widget=DATE_INPUT)
    serious = forms.TypedChoiceField(
        label=_("Serious"), choices=SERIOUS, coerce=lambda v: v == "yes", widget=forms.RadioSelect, initial="no",
        help_text=_("Serious: results in death, is life-threatening, needs or prolongs hospital admission, or causes "
                  "lasting disability. Seriousness is not the same as severity (grade)."))
    relation = forms.ChoiceField(label=_("Relation to sirolimus"), choices=[("", "—"), *[
        c for c in Relation.choices if c[0] != Relation.NOT_ASSESSED]])
    action = forms.ChoiceField(label=_("Action taken"), choices=Action.choices, initial=Action.NONE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, initial=Outcome.ONGOING)


class AdverseEventForm(EntryForm, _AeDetails):
    term = forms.ChoiceField(label=_("CTCAE v5.0 term"), choices=term_choices)
    other_term = forms.CharField(label=_("Other term (uncoded)"), required=False, max_length=120)
    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int, widget=forms.RadioSelect,
                                   choices=grade_choices,
                                   help_text=_("CTCAE v5.0 grade of this term. Grade 3 or more marks the patient for "
                                             "withdrawal; grade 2 or more asks for a trough level within 3 days."))
    onset_date = forms.DateField(label=_("Onset date"), widget=DATE_INPUT,
                                 help_text=_("The first day of the event at this grade."))
    death_date = forms.DateField(label=_("Date of death (grade 5)"), required=False, widget=DATE_INPUT)
    field_order = ["term", "other_term", "grade", "onset_date", "end_date", "serious", "relation", "action",
                   "outcome", "death_date", "reason"]

    def clean(self):
        data = super().clean()
        if data.get("term") == OTHER and not (data.get("other_term") or "").strip():
            self.add_error("other_term", gettext("Type the term (it is stored as uncoded)."))
        return data

    def ae_input(self) -> AeInput:
        data = self.cleaned_data
        term = data["other_term"].strip() if data["term"] == OTHER else data["term"]
        return AeInput(term=term, grade=data["grade"], onset_date=data["onset_date"], end_date=data["end_date"],
                       serious=data["serious"], relation=data["relation"], action=data["action"],
                       outcome=data["outcome"], death_date=data.get("death_date"))


class ProposalConfirmForm(_AeDetails):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)  # the proposal as the physician saw it

    def ae_input(self, proposal) -> AeInput:
        data = self.cleaned_data
        return AeInput(term=proposal.term, grade=proposal.grade, onset_date=proposal.lab_value.sample_date,
                       end_date=data["end_date"], serious=data["serious"], relation=data["relation"],
                       action=data["action"], outcome=data["outcome"])


class ProposalDismissForm(PlausibleForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    dismiss_reason = forms.CharField(label=_("Reason for dismissing"), max_length=250,
                                     widget=forms.Textarea(attrs={"rows": 2}),
                                     error_messages={"required": _("Give the reason this value is not an adverse "
                                                                 "event.")})


class TregForm(EntryForm):
    timepoint = forms.ChoiceField(label=_("Timepoint"), choices=TregMeasurement.Timepoint.choices)
    sample_date = forms.DateField(label=_("Sample date"), widget=DATE_INPUT)
    # xgettext:no-python-format
    percent = forms.DecimalField(label=_("Treg, CD4+CD25high CD127low (% of CD4+)"), min_value=0, max_value=100,
                                 max_digits=5, decimal_places=2, widget=DecimalInput())


class HealthyControlForm(EntryForm):
    control_id = forms.CharField(label=_("Control id"), max_length=16)
    sample_date = forms.DateField(label=_("Sample date"), required=False, widget=DATE_INPUT)
    # xgettext:no-python-format
    percent = forms.DecimalField(label=_("Treg, CD4+CD25high CD127low (% of CD4+)"), min_value=0, max_value=100,
                                 max_digits=5, decimal_places=2, widget=DecimalInput())


class LabValueForm(EntryForm):
    """Correct one saved lab value (its analyte stays); a reason is required."""

    value = _decimal("Value", required=True, min_value=0)
    unit = forms.ChoiceField(label=_("Unit"))
    lln = _decimal("LLN (lab)")
    uln = _decimal("ULN (lab)")

    def __init__(self, *args, analyte, **kwargs):
        super().__init__(*args, editing=True, **kwargs)
        self.analyte = analyte
        self.fields["unit"].choices = [(u, u) for u in analyte.units]
        self.fields["value"].label = gettext("%(analyte)s value") % {"analyte": analyte.label}
        self.helper = self.entry_helper("value", "unit", "lln", "uln")

    def lab_input(self) -> LabInput:
        data = self.cleaned_data
        return LabInput(analyte=self.analyte.code, value=data["value"], unit=data["unit"], lln=data.get("lln"),
                        uln=data.get("uln"))
