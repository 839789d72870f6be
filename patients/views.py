from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from casebook.editing import entry_submit, locked_response
from casebook.panels import panels_by_place, patient_panels
from casebook.selectors import casebook_locks
from itp_trial.clock import study_today
from itp_trial.roles import ENTER_DATA, REVIEW_DATA, VIEW_STUDY
from itp_trial.views import CapabilityRequired

from .demographics import age_in_years, months_between
from .forms import OffStudyForm, PatientEditForm
from .models import Patient, Withdrawal
from .off_study import withdrawal_complete
from .selectors import course_dates, patient_detail
from .services import EDITABLE_FIELDS, patient_update


def _patient_or_404(study_id: str) -> Patient:
    try:
        return patient_detail(study_id=study_id)
    except Patient.DoesNotExist as exc:
        raise Http404(f"No patient {study_id}") from exc


class PatientDetailView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request, study_id):
        """The patient's own details, then the panels the record types declare (casebook.panels), each with
        its own context."""
        patient = _patient_or_404(study_id)
        today = study_today()
        locks = casebook_locks(patient_id=patient.pk)
        withdrawal = Withdrawal.objects.filter(patient=patient).select_related("adverse_event").first()
        locks.annotate([patient, *([withdrawal] if withdrawal else [])])
        course = course_dates(patient=patient)
        panels = patient_panels(patient=patient, today=today, locks=locks, course=course)
        context = {
            "patient": patient,
            "summary": patient.response,
            "withdrawal": withdrawal,
            "age": age_in_years(patient.birth_date, patient.start_date),
            "months_since_diagnosis": months_between(patient.diagnosis_date, patient.start_date),
            "today": today,
            "course": course,
            "panels": panels_by_place(panels),
        }
        for panel in panels:
            context.update(panel.context)
        return render(request, "patients/detail.html", context)


class PatientEditView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request, study_id):
        patient = _patient_or_404(study_id)
        locked = locked_response(request, patient, patient=patient, label=_("Demographics and ITP history"))
        if locked:
            return locked
        initial = {name: getattr(patient, name) for name in EDITABLE_FIELDS}
        initial["early_steroid_effective"] = {True: "true", False: "false"}.get(patient.early_steroid_effective, "")
        initial["version"] = patient.version
        return self._render(request, patient, PatientEditForm(initial=initial))

    def post(self, request, study_id):
        patient = _patient_or_404(study_id)
        form = PatientEditForm(request.POST)
        conflict = None
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
            outcome = entry_submit(request, form, lambda: patient_update(
                patient=patient, changes=changes, user=request.user, reason=form.cleaned_data["reason"],
                version=form.version))
            if outcome.saved:
                messages.success(request, _("%(study_id)s updated.") % {"study_id": patient.study_id})
                return redirect("patients:detail", study_id=patient.study_id)
            conflict = outcome.conflict
        return self._render(request, patient, form, status=409 if conflict else 400, conflict=conflict)

    def _render(self, request, patient, form, status=200, conflict=None):
        return render(request, "patients/edit.html", {"patient": patient, "form": form, "conflict": conflict},
                      status=status)


class OffStudyView(CapabilityRequired, View):
    permission_required = REVIEW_DATA
    template = "patients/off_study.html"

    def get(self, request, study_id):
        patient = _patient_or_404(study_id)
        withdrawal = Withdrawal.objects.filter(patient=patient).first()
        if withdrawal is not None and not withdrawal.completed:
            locked = locked_response(request, withdrawal, patient=patient, label=_("Withdrawal"))
            if locked:
                return locked
        initial = {"off_study_date": study_today(), "version": withdrawal.version if withdrawal else None}
        return self._render(request, patient, OffStudyForm(initial=initial))

    def post(self, request, study_id):
        patient = _patient_or_404(study_id)
        form = OffStudyForm(request.POST)
        conflict = None
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: withdrawal_complete(
                patient=patient, user=request.user, off_study_date=form.cleaned_data["off_study_date"],
                off_study_reason=form.cleaned_data["off_study_reason"], version=form.cleaned_data["version"],
                token=form.token))
            if outcome.saved:
                messages.success(request, _("%(study_id)s is off study.") % {"study_id": patient.study_id})
            if outcome.done:
                return redirect("patients:detail", study_id=patient.study_id)
            conflict = outcome.conflict
        return self._render(request, patient, form, status=409 if conflict else 400, conflict=conflict)

    def _render(self, request, patient, form, status=200, conflict=None):
        withdrawal = Withdrawal.objects.filter(patient=patient).select_related("adverse_event").first()
        return render(request, self.template, {"patient": patient, "form": form, "withdrawal": withdrawal,
                                               "conflict": conflict}, status=status)
