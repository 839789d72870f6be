from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from casebook.editing import entry_submit, locked_response
from itp_trial.clock import study_today
from itp_trial.roles import ENTER_DATA, VIEW_STUDY
from itp_trial.views import CapabilityRequired
from patients.forms import SecondLineFormSet
from patients.models import Patient

from .enrolment import patient_enrol
from .enrolment_form import EnrolmentForm
from .finder import patient_find
from .forms import RescueForm, VisitForm
from .messages import category_name
from .models import Visit
from .protocol import current_protocol
from .schedule import UNSCHEDULED
from .selectors import slot_label, visit_window_message
from .services import rescue_record, visit_record, visit_update


def _saved_message(request, visit: Visit) -> None:
    messages.success(request, _("%(visit)s saved: category %(category)s (%(name)s).") % {
        "visit": slot_label(visit.code), "category": visit.category, "name": category_name(visit.category)})
    warning = visit_window_message(visit)
    if warning:
        messages.warning(request, warning)


class VisitCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request, study_id, code):
        patient = get_object_or_404(Patient, study_id=study_id)
        slot = self._slot(patient, code)
        initial = {"visit_date": slot.target_date} if slot else {}
        existing = getattr(slot, "visit", None) if slot else None  # an old tab, or the back button
        return self._render(request, patient, code, slot, VisitForm(initial=initial), existing=existing)

    def post(self, request, study_id, code):
        form = VisitForm(request.POST)
        if form.is_valid():  # the write reads (and locks) the patient and the slot: nothing is read twice
            try:
                outcome = entry_submit(request, form, lambda: visit_record(
                    patient={"study_id": study_id}, code=code, values=form.values(), user=request.user,
                    token=form.token))
            except Patient.DoesNotExist:
                raise Http404("No such patient.") from None
            if outcome.saved:
                _saved_message(request, outcome.saved)
            if outcome.done:
                return redirect("patients:detail", study_id=study_id)
        patient = get_object_or_404(Patient, study_id=study_id)
        slot = self._slot(patient, code)
        existing = getattr(slot, "visit", None) if slot else None  # recorded before or meanwhile: one message
        return self._render(request, patient, code, slot, form, status=400, existing=existing)

    def _slot(self, patient, code):
        if code == UNSCHEDULED:
            return None
        return get_object_or_404(patient.slots.select_related("visit"), code=code)

    def _render(self, request, patient, code, slot, form, status=200, existing=None):
        context = {"patient": patient, "code": code, "label": slot_label(code) if slot else _("Unscheduled visit"),
                   "slot": slot, "form": form, "existing": existing}
        return render(request, "visits/form.html", context, status=status)


class VisitEditView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request, pk):
        visit = self._visit(pk)
        locked = locked_response(request, visit, patient=visit.patient,
                                 label=_("%(visit)s (%(date)s)") % {
                                     "visit": slot_label(visit.code), "date": visit.visit_date.isoformat()})
        if locked:
            return locked
        initial = {name: getattr(visit, name) for name in
                   ("visit_date", "platelets", "bleeding_grade", "haemoglobin", "white_cells", "version")}
        return self._render(request, visit, VisitForm(initial=initial, editing=True))

    def post(self, request, pk):
        visit = self._visit(pk)
        form = VisitForm(request.POST, editing=True)
        conflict = None
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: visit_update(
                visit=visit, values=form.values(), user=request.user, reason=form.cleaned_data["reason"],
                version=form.version))
            if outcome.saved:
                _saved_message(request, outcome.saved)
                return redirect("patients:detail", study_id=visit.patient.study_id)
            conflict = outcome.conflict
        return self._render(request, visit, form, status=409 if conflict else 400, conflict=conflict)

    def _visit(self, pk):
        return get_object_or_404(Visit.objects.select_related("patient", "slot"), pk=pk)

    def _render(self, request, visit, form, status=200, conflict=None):
        context = {"patient": visit.patient, "visit": visit, "code": visit.code, "label": slot_label(visit.code),
                   "slot": visit.slot, "form": form, "conflict": conflict}
        return render(request, "visits/form.html", context, status=status)


class RescueCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        return render(request, "visits/rescue_form.html", {"patient": patient, "form": RescueForm()})

    def post(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        form = RescueForm(request.POST)
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: rescue_record(
                patient=patient, user=request.user, token=form.token, **form.rescue_values()))
            if outcome.saved:
                messages.success(request, _("Rescue therapy saved; counts in the following %(days)s days are flagged.")
                                 % {"days": current_protocol().rescue_window_days})
            if outcome.done:
                return redirect("patients:detail", study_id=patient.study_id)
        return render(request, "visits/rescue_form.html", {"patient": patient, "form": form}, status=400)


# The patient list and enrolment are pages of the patients (their addresses are in the patients namespace, joined
# by the project's URLs); they live here because they read and write the visit plan.
class PatientListView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request):
        params = {name: request.GET.get(name, "")[:40] for name in ("q", "status", "due")}
        found = patient_find(text=params["q"], status=params["status"], due=params["due"],
                             page=request.GET.get("page", 1), today=study_today())
        return render(request, "patients/list.html", {"found": found, "rows": found.rows, **params})


class PatientEnrolView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request):
        return self._render(request, EnrolmentForm(), SecondLineFormSet(prefix="second_line"))

    def post(self, request):
        form = EnrolmentForm(request.POST)
        formset = SecondLineFormSet(request.POST, prefix="second_line")
        if form.is_valid() and formset.is_valid():
            second_line = [t for t in (f.therapy_input() for f in formset.forms) if t]
            outcome = entry_submit(request, form, lambda: patient_enrol(
                data=form.enrolment(second_line), user=request.user, token=form.token))
            if outcome.saved:
                messages.success(request, _("%(study_id)s enrolled; the visit schedule is ready.")
                                 % {"study_id": outcome.saved.study_id})
                return redirect("patients:detail", study_id=outcome.saved.study_id)
            if outcome.already:
                return redirect("patients:detail", study_id=outcome.already.patient.study_id)
        return self._render(request, form, formset, status=400)

    def _render(self, request, form, formset, status=200):
        return render(request, "patients/enrol.html", {"form": form, "formset": formset}, status=status)
