"""The user's own page of API tokens: create one (its secret is shown once), see when each was last used, revoke."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View

from casebook.editing import add_service_errors

from .models import ApiToken
from .tokens import LIFETIMES, token_create, token_revoke, tokens_of

SHOWN_ONCE = "api-token-shown-once"
TEMPLATE = "api/tokens.html"


class TokenForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("token", "Name"), max_length=100,
                           help_text=_("What the token is for, e.g. 'R analysis'."))
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, initial=90,
                                  choices=[(days, _("%(days)s days") % {"days": days}) for days in LIFETIMES])


def _page(request, form: TokenForm, status: int = 200):
    secret = request.session.pop(SHOWN_ONCE, None)
    return render(request, TEMPLATE, {"form": form, "tokens": tokens_of(user=request.user), "secret": secret},
                  status=status)


class TokensView(View):
    """Any signed-in user manages their own tokens; what a token may do is what its owner's role may do.
    A post creates a token, or revokes one (`revoke`: its id)."""

    def get(self, request):
        return _page(request, TokenForm())

    def post(self, request):
        if "revoke" in request.POST:
            return self._revoke(request, request.POST["revoke"])
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                new = token_create(user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[SHOWN_ONCE] = new.secret  # read by the next page, then gone
                return redirect("api:tokens")
        return _page(request, form, status=400)

    def _revoke(self, request, token_id: str):
        token = get_object_or_404(ApiToken, pk=token_id if token_id.isdigit() else 0, user=request.user)
        token_revoke(token=token, user=request.user)
        messages.success(request, _("Token %(name)s is revoked: requests with it are refused.") % {"name": token.name})
        return redirect("api:tokens")
