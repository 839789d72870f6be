"""Account pages for data managers (and the public page where an owner sets a password through a link).

Thin views: parse the form, call the service, redirect, or show the form again with the problem next to its field
and what was typed kept."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.i18n import set_language

from itp_trial.roles import MANAGE_USERS, role_of
from itp_trial.views import CapabilityRequired

from .forms import (
    AccountCreateForm,
    AccountEditForm,
    DecisionForm,
    PasswordSetForm,
    ReasonForm,
    RoleForm,
    add_service_errors,
)
from .languages import preferred_language
from .mail import masked, password_link_send
from .models import RoleRequest
from .selectors import account_changes, accounts_managed, role_requests, sign_ins
from .services import (
    AlreadyDecided,
    account_create,
    account_role_set,
    account_update,
    grants_sign_off,
    language_set,
    password_link_issue,
    password_link_open,
    password_link_use,
    role_label,
    role_request_create,
    role_request_decide,
)

SHOWN_LINK = "accounts:password_link"  # session key: where the link just issued was sent


class ManagerView(CapabilityRequired, View):
    permission_required = MANAGE_USERS

    def account(self, account_pk):
        return get_object_or_404(get_user_model(), pk=account_pk, is_superuser=False)


class AccountListView(ManagerView):
    def get(self, request):
        pending = role_requests().filter(status=RoleRequest.Status.PENDING).count()
        return render(request, "accounts/list.html", {"accounts": accounts_managed(), "pending": pending})


class AccountCreateView(ManagerView):
    def get(self, request):
        return render(request, "accounts/form.html", _create_context(AccountCreateForm()))

    def post(self, request):
        form = AccountCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = account_create(username=data["username"], first_name=data["first_name"],
                                         last_name=data["last_name"], email=data["email"], role=data["role"],
                                         by=request.user, reason=data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if not account.email:
                    messages.warning(request, _("%(username)s has no e-mail address: add one, then send a "
                                                "password link.") % {"username": account.username})
                    return redirect("accounts:detail", account_pk=account.pk)
                token = password_link_issue(account=account, by=request.user,
                                            reason="new account: its owner sets the first password")
                return _send_link(request, account, token)
        return render(request, "accounts/form.html", _create_context(form), status=400)


def _create_context(form):
    return {"form": form, "title": _("New account"), "button": _("Create the account"),
            "intro": _("The account gets no password: its owner sets one through a one-time link sent to the "
                       "account's e-mail address.")}


def _send_link(request, account, token):
    link = password_link_open(token)
    url = request.build_absolute_uri(reverse("accounts:set_password", kwargs={"token": token}))
    sent = password_link_send(account=account, url=url, expires_at=link.expires_at)
    request.session[SHOWN_LINK] = {"account": account.pk, "sent": sent, "to": masked(account.email),
                                   "until": f"{timezone.localtime(link.expires_at):%Y-%m-%d %H:%M}"}
    return redirect("accounts:link_shown", account_pk=account.pk)


class AccountDetailView(ManagerView):
    def get(self, request, account_pk):
        account = self.account(account_pk)
        return render(request, "accounts/detail.html", {
            "account": account, "role": role_of(account), "changes": account_changes(account=account)[:100],
            "requests": role_requests().filter(account=account)[:20]})


class AccountEditView(ManagerView):
    def get(self, request, account_pk):
        account = self.account(account_pk)
        form = AccountEditForm(initial={"first_name": account.first_name, "last_name": account.last_name,
                                        "email": account.email, "is_active": account.is_active})
        return self._render(request, account, form)

    def post(self, request, account_pk):
        account = self.account(account_pk)
        form = AccountEditForm(request.POST)
        if form.is_valid():
            try:
                account_update(account=account, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Account %(username)s changed.") % {"username": account.username})
                return redirect("accounts:detail", account_pk=account.pk)
        return self._render(request, account, form, status=400)

    def _render(self, request, account, form, status=200):
        return render(request, "accounts/form.html", {
            "form": form, "account": account,
            "title": _("Change account %(username)s") % {"username": account.username},
            "button": _("Save the change")}, status=status)


class RoleView(ManagerView):
    """The role page: another role is given at once; a sign-off role becomes a request for a second data
    manager."""

    def get(self, request, account_pk):
        account = self.account(account_pk)
        role = role_of(account)
        return self._render(request, account, RoleForm(initial={"role": role.code if role else ""}))

    def post(self, request, account_pk):
        account = self.account(account_pk)
        form = RoleForm(request.POST)
        if form.is_valid():
            role, reason = form.cleaned_data["role"], form.cleaned_data["reason"]
            try:
                if grants_sign_off(role):
                    role_request = role_request_create(account=account, role=role, by=request.user, reason=reason)
                else:
                    account_role_set(account=account, role=role, by=request.user, reason=reason)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if grants_sign_off(role):
                    messages.info(request, _("%(role)s requested for %(username)s (request #%(number)s): a second "
                                             "data manager approves or refuses it.")
                                  % {"role": role_label(role), "username": account.username, "number": role_request.pk})
                else:
                    messages.success(request, _("%(username)s now has %(role)s.")
                                     % {"username": account.username, "role": role_label(role)})
                return redirect("accounts:detail", account_pk=account.pk)
        return self._render(request, account, form, status=400)

    def _render(self, request, account, form, status=200):
        return render(request, "accounts/form.html", {
            "form": form, "account": account, "title": _("Role of %(username)s") % {"username": account.username},
            "button": _("Change the role"),
            "intro": _("A role that signs off clinical data (physician) is not given here at once: choosing it "
                       "sends a request that a second, different data manager approves.")}, status=status)


class PasswordLinkView(ManagerView):
    def get(self, request, account_pk):
        return self._render(request, self.account(account_pk), ReasonForm())

    def post(self, request, account_pk):
        account = self.account(account_pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                token = password_link_issue(account=account, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _send_link(request, account, token)
        return self._render(request, account, form, status=400)

    def _render(self, request, account, form, status=200):
        return render(request, "accounts/form.html", {
            "form": form, "account": account,
            "title": _("New password link for %(username)s") % {"username": account.username},
            "button": _("Issue a one-time link"),
            "intro": _("You never set or see the password or the link: it is e-mailed to the account's owner, who "
                       "sets a password with it, once, within its validity. An earlier link stops working. The "
                       "current password keeps working until the owner sets a new one.")}, status=status)


class LinkShownView(ManagerView):
    """Where the link just issued went (the data manager never sees the link itself)."""

    def get(self, request, account_pk):
        account = self.account(account_pk)
        shown = request.session.pop(SHOWN_LINK, None)
        sent = shown if shown and shown["account"] == account.pk else None
        return render(request, "accounts/link_shown.html", {"account": account, "sent": sent})


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(View):
    """The account's owner sets a password through a one-time link (no sign-in needed)."""

    def get(self, request, token):
        link = password_link_open(token)
        if link is None:
            return render(request, "accounts/set_password.html", {"invalid": True}, status=410)
        return render(request, "accounts/set_password.html", {"form": PasswordSetForm(link.account),
                                                              "account": link.account})

    def post(self, request, token):
        link = password_link_open(token)
        if link is None:
            return render(request, "accounts/set_password.html", {"invalid": True}, status=410)
        form = PasswordSetForm(link.account, request.POST)
        if form.is_valid():
            try:
                password_link_use(token=token, password=form.cleaned_data["new_password1"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your password is set. Log in with it now."))
                return redirect("login")
        return render(request, "accounts/set_password.html", {"form": form, "account": link.account},
                      status=400)


class RequestListView(ManagerView):
    def get(self, request):
        return render(request, "accounts/requests.html", {"requests": role_requests()[:200]})


class DecideView(ManagerView):
    """The approval page: a second data manager approves or refuses; a request decided already says so."""

    def get(self, request, request_pk):
        return self._render(request, self._request(request_pk), DecisionForm())

    def post(self, request, request_pk):
        role_request = self._request(request_pk)
        form = DecisionForm(request.POST)
        decision = request.POST.get("decision")
        if decision not in {"approve", "refuse"}:
            form.add_error(None, _("Choose Approve or Refuse."))
        elif form.is_valid():
            try:
                decided = role_request_decide(request_id=role_request.pk, approve=decision == "approve",
                                              by=request.user, reason=form.cleaned_data["reason"])
            except AlreadyDecided as stale:
                return self._render(request, stale.request, form, status=409, stale=True)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                values = {"number": decided.pk, "username": decided.account.username,
                          "role": role_label(decided.role)}
                if decided.status == RoleRequest.Status.APPROVED:
                    messages.success(request, _("Request #%(number)s approved: %(username)s now has "
                                                "%(role)s.") % values)
                else:
                    messages.success(request, _("Request #%(number)s refused: %(username)s does not get "
                                                "%(role)s.") % values)
                return redirect("accounts:requests")
        return self._render(request, role_request, form, status=400)

    def _request(self, pk):
        return get_object_or_404(role_requests(), pk=pk)

    def _render(self, request, role_request, form, status=200, stale=False):
        own = request.user.pk in (role_request.requested_by_id, role_request.account_id)
        return render(request, "accounts/decide.html", {
            "req": role_request, "form": form, "stale": stale, "own": own, "role_label": role_label(role_request.role),
            "current_role": role_of(role_request.account)}, status=status)


class SignInListView(ManagerView):
    def get(self, request):
        username = request.GET.get("user", "").replace("\x00", "")[:150]
        return render(request, "accounts/sign_ins.html", {"events": sign_ins(username=username),
                                                          "username": username})


class ChangeListView(ManagerView):
    def get(self, request):
        return render(request, "accounts/changes.html", {"changes": account_changes()[:500]})


@method_decorator(login_not_required, name="dispatch")
class LanguageView(View):
    """The language switch (navigation and login page): Django's set_language sets the cookie and goes back; a
    signed-in user's choice is also kept as their preference (audited), applied at every sign-in."""

    http_method_names = ["post"]

    def post(self, request):
        response = set_language(request)
        language = request.POST.get("language", "")
        if language not in dict(settings.LANGUAGES):  # Django would take any language it has a catalogue for
            response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        elif request.user.is_authenticated:
            language_set(user=request.user, language=language)
        return response


class StudyLoginView(auth_views.LoginView):
    """Django's login; the user's own language (their preference) then wins over the browser's and the cookie."""

    template_name = "registration/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        chosen = preferred_language(form.get_user())
        if chosen:
            translation.activate(chosen)
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, max_age=settings.LANGUAGE_COOKIE_AGE,
                                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response
