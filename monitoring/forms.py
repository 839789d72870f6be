from django import forms
from django.utils.translation import gettext_lazy as _

TEXT_ROWS = {"rows": 3}


class RaiseForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), required=False)
    text = forms.CharField(label=_("Question"), max_length=2000, widget=forms.Textarea(attrs=TEXT_ROWS))

    def __init__(self, *args, fields: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("The record as a whole")), *fields]


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=2000, widget=forms.Textarea(attrs=TEXT_ROWS))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs=TEXT_ROWS))
    new_value = forms.CharField(label=_("Corrected value"), required=False, max_length=250,
                                help_text=_("Leave empty to answer without changing the value."))
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=250)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        data = super().clean()
        if (data.get("new_value") or "").strip() and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for changing a saved record."))
        return data
