from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from audit.history import history_rows
from itp_trial.roles import ENTER_DATA, VIEW_STUDY
from itp_trial.views import CapabilityRequired
from patients.models import Patient
from review.locks import lock_message
from review.services import visit_lock

from .forms import RescueForm, VisitForm, add_service_errors
from .models import Visit
from .schedule import UNSCHEDULED
from .selectors import slot_label, visit_window_message
from .services import VISIT_EXISTS, rescue_record, visit_record, visit_update


def _saved_message(request, visit: Visit) -> None:
    messages.success(request, f"{slot_label(visit.code)} saved: category {visit.category}.")
    warning = visit_window_message(visit)
    if warning:
        messages.warning(request, warning)


class VisitCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request, study_id, code):
        patient = get_object_or_404(Patient, study_id=study_id)
        slot = self._slot(patient, code)
        initial = {"visit_date": slot.target_date} if slot else {}
        existing = getattr(slot, "visit", None) if slot else None
        return self._render(request, patient, code, slot, VisitForm(initial=initial), existing=existing)

    def post(self, request, study_id, code):
        patient = get_object_or_404(Patient, study_id=study_id)
        slot = self._slot(patient, code)
        form = VisitForm(request.POST)
        existing = getattr(slot, "visit", None) if slot else None
        if existing is None and form.is_valid():
            try:
                visit = visit_record(patient=patient, code=code, values=form.values(), user=request.user)
            except ValidationError as error:
                existing = _existing_visit(error)
                if existing is None:
                    add_service_errors(form, error)
            else:
                _saved_message(request, visit)
                return redirect("patients:detail", study_id=patient.study_id)
        return self._render(request, patient, code, slot, form, status=400, existing=existing)

    def _slot(self, patient, code):
        if code == UNSCHEDULED:
            return None
        return get_object_or_404(patient.slots.select_related("visit"), code=code)

    def _render(self, request, patient, code, slot, form, status=200, existing=None):
        context = {"patient": patient, "code": code, "label": slot_label(code) if slot else "Unscheduled visit",
                   "slot": slot, "form": form, "existing": existing}
        return render(request, "visits/form.html", context, status=status)


def _existing_visit(error: ValidationError) -> Visit | None:
    """The visit already recorded at the slot, when that is what the service refused (one message, with a link,
    instead of a form error)."""
    for item in getattr(error, "error_dict", {}).get("code", []):
        if item.code == VISIT_EXISTS:
            return Visit.objects.filter(pk=item.params["visit_id"]).first()
    return None


class VisitEditView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request, pk):
        visit = self._visit(pk)
        lock = visit_lock(visit)
        if lock is not None:
            return render(request, "visits/locked.html", {"visit": visit, "patient": visit.patient,
                                                          "label": slot_label(visit.code),
                                                          "message": lock_message(lock)}, status=403)
        initial = {name: getattr(visit, name) for name in
                   ("visit_date", "platelets", "bleeding_grade", "haemoglobin", "white_cells")}
        return self._render(request, visit, VisitForm(initial=initial, editing=True))

    def post(self, request, pk):
        visit = self._visit(pk)
        form = VisitForm(request.POST, editing=True)
        if form.is_valid():
            try:
                visit = visit_update(visit=visit, values=form.values(), user=request.user,
                                     reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _saved_message(request, visit)
                return redirect("patients:detail", study_id=visit.patient.study_id)
        return self._render(request, visit, form, status=400)

    def _visit(self, pk):
        return get_object_or_404(Visit.objects.select_related("patient", "slot"), pk=pk)

    def _render(self, request, visit, form, status=200):
        context = {"patient": visit.patient, "visit": visit, "code": visit.code, "label": slot_label(visit.code),
                   "slot": visit.slot, "form": form}
        return render(request, "visits/form.html", context, status=status)


class VisitHistoryView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request, pk):
        visit = get_object_or_404(Visit.objects.select_related("patient", "slot"), pk=pk)
        signatures = [(str(s), history_rows(s)) for s in visit.signatures.select_related("visit")]
        return render(request, "visits/history.html",
                      {"visit": visit, "patient": visit.patient, "label": slot_label(visit.code),
                       "rows": history_rows(visit), "signatures": signatures})


class RescueCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        return render(request, "visits/rescue_form.html", {"patient": patient, "form": RescueForm()})

    def post(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        form = RescueForm(request.POST)
        if form.is_valid():
            try:
                rescue_record(patient=patient, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Rescue therapy saved; counts in the following 28 days are flagged.")
                return redirect("patients:detail", study_id=patient.study_id)
        return render(request, "visits/rescue_form.html", {"patient": patient, "form": form}, status=400)
