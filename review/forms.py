from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from itp_trial.forms import PlausibleForm
from visits.forms import DATE_INPUT


class SignForm(PlausibleForm, forms.Form):
    """The password, and what the physician saw: the visit's version, or the casebook's snapshot."""

    password = forms.CharField(label=_("Your password (re-enter to sign)"), widget=forms.PasswordInput,
                               strip=False, error_messages={"required": _("Re-enter your password to sign.")})

    def __init__(self, *args, casebook: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if casebook:
            self.fields = {"up_to": forms.DateField(label=_("Sign the casebook up to (inclusive)"), widget=DATE_INPUT),
                           **self.fields,
                           "seen": forms.CharField(widget=forms.HiddenInput)}
        else:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True


class UnlockForm(PlausibleForm, forms.Form):
    reason = forms.CharField(label=_("Reason for unlocking"), max_length=250, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give a reason for unlocking.")})
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True
