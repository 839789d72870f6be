from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.reauth import password_reconfirmed
from casebook.editing import add_service_errors, entry_submit
from casebook.models import MEANING, Signature
from casebook.snapshots import Snapshot, StaleCasebook, casebook_content
from itp_trial.clock import study_today
from itp_trial.roles import REVIEW_DATA, UNLOCK_RECORDS
from itp_trial.validation import shown
from itp_trial.views import CapabilityRequired
from patients.models import Patient
from visits.models import Visit
from visits.selectors import slot_label

from .forms import SignForm, UnlockForm
from .services import signature_sign_casebook, signature_sign_visit, signature_void


class SignVisitView(CapabilityRequired, View):
    permission_required = REVIEW_DATA

    def get(self, request, pk):
        visit = self._visit(pk)
        return self._render(request, visit, SignForm(initial={"version": visit.version}))

    def post(self, request, pk):
        visit = self._visit(pk)
        form = SignForm(request.POST)
        conflict = None
        if form.is_valid() and password_reconfirmed(request, form):
            outcome = entry_submit(request, form, lambda: signature_sign_visit(
                visit=visit, user=request.user, password=form.cleaned_data["password"],
                version=form.cleaned_data["version"]))
            if outcome.saved:
                messages.success(request, _("%(visit)s signed (%(meaning)s); it is now locked.") % {
                    "visit": slot_label(visit.code), "meaning": _(MEANING)})
                return redirect("patients:detail", study_id=visit.patient.study_id)
            if outcome.conflict:  # show the visit as it is now, to be signed again
                conflict, visit = outcome.conflict, self._visit(pk)
        return self._render(request, visit, form, status=409 if conflict else 400, conflict=conflict)

    def _visit(self, pk):
        return get_object_or_404(Visit.objects.select_related("patient", "slot"), pk=pk)

    def _render(self, request, visit, form, status=200, conflict=None):
        what = _("%(visit)s of %(date)s (platelets %(platelets)s, %(category)s)") % {
            "visit": slot_label(visit.code), "date": visit.visit_date.isoformat(), "platelets": shown(visit.platelets),
            "category": visit.category}
        return render(request, "review/sign.html", {"patient": visit.patient, "what": what, "form": form,
                                                    "meaning": _(MEANING), "conflict": conflict}, status=status)


def _date(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


class SignCasebookView(CapabilityRequired, View):
    """Sign a patient's casebook up to a date: the page lists what the signature locks and carries its snapshot."""

    permission_required = REVIEW_DATA

    def get(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        up_to = _date(request.GET.get("up_to"), study_today())
        content = casebook_content(patient_id=patient.pk, up_to=up_to)
        form = SignForm(casebook=True, initial={"up_to": up_to, "seen": content.snapshot.token()})
        return self._render(request, patient, form, content)

    def post(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        form = SignForm(request.POST, casebook=True)
        stale = None
        if form.is_valid() and password_reconfirmed(request, form):
            up_to = form.cleaned_data["up_to"]
            try:
                signature_sign_casebook(patient=patient, up_to=up_to, user=request.user,
                                        password=form.cleaned_data["password"],
                                        seen=Snapshot.from_token(form.cleaned_data["seen"]))
            except StaleCasebook as error:
                stale = error
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Casebook of %(study_id)s signed up to %(date)s; the records up to "
                                            "then are locked.") % {"study_id": patient.study_id,
                                                                   "date": up_to.isoformat()})
                return redirect("patients:detail", study_id=patient.study_id)
        up_to = form.cleaned_data.get("up_to") or study_today()
        content = casebook_content(patient_id=patient.pk, up_to=up_to)
        form.data = form.data.copy()  # what the page now shows is what a new signature would cover
        form.data["seen"] = content.snapshot.token()
        return self._render(request, patient, form, content, stale=stale, status=409 if stale else 400)

    def _render(self, request, patient, form, content, stale=None, status=200):
        return render(request, "review/sign.html", {
            "patient": patient, "what": _("the casebook of %(study_id)s") % {"study_id": patient.study_id},
            "form": form, "meaning": _(MEANING), "content": content, "stale": stale}, status=status)


class UnlockView(CapabilityRequired, View):
    permission_required = UNLOCK_RECORDS

    def get(self, request, signature_pk):
        signature = self._signature(signature_pk)
        return render(request, "review/unlock.html",
                      {"signature": signature, "form": UnlockForm(initial={"version": signature.version})})

    def post(self, request, signature_pk):
        signature = self._signature(signature_pk)
        form = UnlockForm(request.POST)
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: signature_void(
                signature=signature, user=request.user, reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"]))
            if outcome.saved:
                messages.success(request, _("Unlocked: the signature is void and the record can be corrected."))
                return redirect("patients:detail", study_id=signature.patient.study_id)
            if outcome.conflict:
                form.add_error(None, outcome.conflict.message)
        return render(request, "review/unlock.html", {"signature": signature, "form": form}, status=400)

    def _signature(self, pk):
        return get_object_or_404(Signature.objects.select_related("patient", "visit"), pk=pk)
