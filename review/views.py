from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from itp_trial.roles import REVIEW_DATA, UNLOCK_RECORDS
from itp_trial.views import CapabilityRequired
from patients.models import Patient
from visits.forms import add_service_errors
from visits.models import Visit
from visits.selectors import slot_label

from .forms import SignForm, UnlockForm
from .models import MEANING, Signature
from .services import signature_sign_casebook, signature_sign_visit, signature_void


class SignVisitView(CapabilityRequired, View):
    permission_required = REVIEW_DATA

    def get(self, request, pk):
        return self._render(request, self._visit(pk), SignForm())

    def post(self, request, pk):
        visit = self._visit(pk)
        form = SignForm(request.POST)
        if form.is_valid():
            try:
                signature_sign_visit(visit=visit, user=request.user, password=form.cleaned_data["password"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{slot_label(visit.code)} signed ({MEANING}); it is now locked.")
                return redirect("patients:detail", study_id=visit.patient.study_id)
        return self._render(request, visit, form, status=400)

    def _visit(self, pk):
        return get_object_or_404(Visit.objects.select_related("patient", "slot"), pk=pk)

    def _render(self, request, visit, form, status=200):
        what = (f"{slot_label(visit.code)} of {visit.visit_date:%Y-%m-%d} "
                f"(platelets {visit.platelets}, {visit.category})")
        return render(request, "review/sign.html",
                      {"patient": visit.patient, "what": what, "form": form, "meaning": MEANING}, status=status)


class SignCasebookView(CapabilityRequired, View):
    permission_required = REVIEW_DATA

    def get(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        return self._render(request, patient, SignForm(casebook=True, initial={"up_to": timezone.localdate()}))

    def post(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        form = SignForm(request.POST, casebook=True)
        if form.is_valid():
            try:
                signature_sign_casebook(patient=patient, up_to=form.cleaned_data["up_to"], user=request.user,
                                        password=form.cleaned_data["password"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Casebook of {patient.study_id} signed up to "
                                          f"{form.cleaned_data['up_to']:%Y-%m-%d}; visits up to then are locked.")
                return redirect("patients:detail", study_id=patient.study_id)
        return self._render(request, patient, form, status=400)

    def _render(self, request, patient, form, status=200):
        return render(request, "review/sign.html", {"patient": patient, "what": f"the casebook of {patient.study_id}",
                                                    "form": form, "meaning": MEANING}, status=status)


class UnlockView(CapabilityRequired, View):
    permission_required = UNLOCK_RECORDS

    def get(self, request, signature_pk):
        signature = self._signature(signature_pk)
        return render(request, "review/unlock.html", {"signature": signature, "form": UnlockForm()})

    def post(self, request, signature_pk):
        signature = self._signature(signature_pk)
        form = UnlockForm(request.POST)
        if form.is_valid():
            try:
                signature_void(signature=signature, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Unlocked: the signature is void and the record can be corrected.")
                return redirect("patients:detail", study_id=signature.patient.study_id)
        return render(request, "review/unlock.html", {"signature": signature, "form": form}, status=400)

    def _signature(self, pk):
        return get_object_or_404(Signature.objects.select_related("patient", "visit"), pk=pk)
