"""What every form of the study shares: ISO date entry and the keypad of numeric fields.

- `IsoDateInput`: a text field that takes and shows YYYY-MM-DD whatever the browser's locale (a native
  `<input type=date>` shows mm/dd/yyyy in an en-US browser). static/js/datepicker.js adds a calendar
  button (flatpickr, ISO format, Monday first) that does not depend on the browser's locale either.
- `StudyFormRenderer` (settings.FORM_RENDERER): every number input gets `inputmode` so a tablet opens its
  numeric keypad — "decimal" when the field takes decimals, "numeric" for whole numbers — in one place
  instead of field by field.
- `DecimalInput`: a decimal value (platelets, doses, levels, lab values) is typed on a text input with the
  decimal keypad, so whatever was typed ("12,5", "4.2a") is sent and shown back with its error; an
  <input type=number> submits "" for anything it cannot read, and the nurse saw "required" with the value gone.
  A saved value opens for editing as the pages show it ("31", "5.9"), not with the column's decimals ("31.0").
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.forms.renderers import DjangoTemplates

from itp_trial.clock import study_today

from .plausibility import reference_problems, value_problems
from .validation import sentence, shown

ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"data-datepicker": "iso", "placeholder": "YYYY-MM-DD", "autocomplete": "off",
                    "pattern": r"\d{4}-\d{2}-\d{2}", "maxlength": "10", "spellcheck": "false"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=ISO_DATE)


DATE_INPUT = IsoDateInput()  # one date widget for every form (ISO, locale-independent picker)


class DecimalInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        """A saved value as the pages show it ("31", not the column's "31.0"); what was typed is sent back as typed."""
        if isinstance(value, Decimal):
            return shown(value)
        return super().format_value(value)


def keypad_for(attrs: dict) -> str:
    """The `inputmode` of a number input: whole numbers get the numeric keypad, anything else the decimal one."""
    step = str(attrs.get("step", "1"))
    try:
        whole = step != "any" and Decimal(step) == Decimal(step).to_integral_value()
    except InvalidOperation:
        whole = False
    return "numeric" if whole else "decimal"


class StudyFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget and widget.get("type") == "number":
            attrs = widget.setdefault("attrs", {})
            attrs.setdefault("inputmode", keypad_for(attrs))
        return super().render(template_name, context, request=request)


class PlausibleForm:
    """Mixin of every study form: each cleaned value checked by itp_trial.plausibility, the problem next to its
    field (dates 1900-2100 and past events not after today, finite numbers of sane size, lab reference limits
    `<x>lln` / `<x>uln` not negative and in order, no control characters)."""

    def _post_clean(self):
        super()._post_clean()
        today = study_today()
        for name, value in list(self.cleaned_data.items()):
            for problem in value_problems(name, value, today=today):
                self.add_error(name, sentence(problem))
        for name in [n for n in self.cleaned_data if n.endswith("lln")]:
            upper_name = name[:-3] + "uln"
            if upper_name not in self.cleaned_data:
                continue
            problems = reference_problems(self.cleaned_data.get(name), self.cleaned_data.get(upper_name))
            for which, messages in problems.items():
                target = name if which == "lower" else upper_name
                for problem in messages:
                    self.add_error(target, sentence(problem))
