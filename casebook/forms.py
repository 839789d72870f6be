"""The base of every form that creates or corrects a clinical record.

A new entry carries a one-time token (generated when the page is opened; the write path claims it, so a second
post of the same page creates nothing). A correction carries the version of the record the user opened (a stale
one is refused with what changed) and a reason for change.
"""

import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from itp_trial.forms import PlausibleForm

from .writes import REASON_REQUIRED

PAGE_OUT_OF_DATE = _("This page is out of date (it does not say which version you opened): open it again.")
NO_TOKEN = _("This page is incomplete (it has no submission token): open it again.")
REASON_FOR_CHANGE_HELP = _(
    "Asked because a saved record is part of the audit trail: the old and new values, who changed them, when and "
    "why are kept (e.g. “transcription error”, “lab re-check of the same sample”)."
)


def reason_field(*, required: bool = False) -> forms.CharField:
    return forms.CharField(label=_("Reason for change"), required=required, max_length=250,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_FOR_CHANGE_HELP,
                           error_messages={"required": REASON_REQUIRED})


class EntryForm(PlausibleForm, forms.Form):
    """`editing=False`: a new record (hidden `token`, no reason). `editing=True`: a correction (hidden `version`,
    required `reason`). Subclasses declare their own fields; the reason comes last."""

    reason = reason_field()

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["reason"].required = True
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                                        error_messages={"required": PAGE_OUT_OF_DATE,
                                                                        "invalid": PAGE_OUT_OF_DATE})
        else:
            if self.base_fields["reason"] is EntryForm.base_fields["reason"]:  # a form may declare its own reason
                del self.fields["reason"]
            self.fields["token"] = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4,
                                                   error_messages={"required": NO_TOKEN, "invalid": NO_TOKEN})
        if "reason" in self.fields:  # keep it last, after the subclass's fields
            self.fields["reason"] = self.fields.pop("reason")

    def _post_clean(self):
        super()._post_clean()
        for name in ("token", "version"):  # hidden: their problems are shown above the form
            for message in self._errors.pop(name, []):
                self.add_error(None, message)

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.editing else None

    @property
    def token(self) -> uuid.UUID | None:
        return None if self.editing else self.cleaned_data.get("token")

    def entry_helper(self, *rows) -> FormHelper:
        """A crispy helper laying out `rows`, then the reason (when correcting) and the hidden fields."""
        helper = FormHelper()
        helper.form_tag = False
        helper.render_hidden_fields = True
        helper.layout = Layout(*rows, *([Field("reason")] if self.editing else []))
        return helper
