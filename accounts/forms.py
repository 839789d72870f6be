from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from itp_trial.roles import ROLES

from .services import grants_sign_off

REASON_HELP = _("Kept in the account audit with who changed what and when.")


REASON_LABEL = _("Reason for this change")


def _reason_field(label=REASON_LABEL):
    return forms.CharField(label=label, max_length=250, help_text=REASON_HELP,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Give the reason for this change.")})


def _role_choices(*, sign_off: bool):
    roles = [(r.code, format_lazy(_("{role} (sign-off: needs a second data manager)"), role=r.label)
              if grants_sign_off(r.code) else r.label)
             for r in ROLES if sign_off or not grants_sign_off(r.code)]
    return [("", _("No role")), *roles]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal next to the form's fields (a field the form does not show: at the top)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AccountCreateForm(_Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               help_text=_("Letters, digits and @/./+/-/_ only."))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("For reminders."))
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices(sign_off=False), required=False,
                             help_text=_("A sign-off role is requested afterwards, on the account's page."))
    reason = _reason_field(_("Reason for the new account"))


class AccountEditForm(_Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_active = forms.BooleanField(label=_("Active (can sign in)"), required=False)
    reason = _reason_field()


class RoleForm(_Form):
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices(sign_off=True), required=False)
    reason = _reason_field(_("Reason for the role change"))


class ReasonForm(_Form):
    reason = _reason_field()


class DecisionForm(_Form):
    """The reason; the button pressed (approve or refuse) is the decision."""

    reason = _reason_field(_("Reason for the decision"))


class PasswordSetForm(SetPasswordForm):
    """Django's new-password form (the password validators run on it); saving goes through the service."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

