"""Thin views: parse the form, call a service, render or redirect."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from audit.history import history_rows
from casebook.editing import entry_submit, locked_response
from itp_trial.clock import study_today
from itp_trial.roles import ENTER_DATA, REVIEW_DATA, VIEW_STUDY
from itp_trial.views import CapabilityRequired
from patients.models import Patient

from .ctcae import ANALYTES_BY_CODE
from .forms import (
    OTHER,
    AdverseEventForm,
    HealthyControlForm,
    LabSampleForm,
    LabValueForm,
    ProposalConfirmForm,
    ProposalDismissForm,
    TregForm,
    grade_map,
)
from .models import AdverseEvent, AeProposal, HealthyControl, LabValue
from .selectors import study_safety
from .services import (
    AeSaved,
    adverse_event_record,
    adverse_event_update,
    ae_proposal_confirm,
    ae_proposal_dismiss,
    healthy_control_record,
    lab_sample_record,
    lab_value_update,
    treg_record,
)
from .terms import find_term


def _patient(study_id: str) -> Patient:
    return get_object_or_404(Patient, study_id=study_id)


def _to_patient(patient: Patient):
    return redirect("patients:detail", study_id=patient.study_id)


class LabCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA
    template = "safety/lab_form.html"

    def get(self, request, study_id):
        patient = _patient(study_id)
        form = LabSampleForm(initial={"sample_date": study_today()})
        return render(request, self.template, {"patient": patient, "form": form})

    def post(self, request, study_id):
        patient = _patient(study_id)
        form = LabSampleForm(request.POST)
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: lab_sample_record(
                patient=patient, sample_date=form.cleaned_data["sample_date"],
                laboratory=form.cleaned_data["laboratory"], values=form.values(), user=request.user,
                token=form.token))
            if outcome.saved:
                sample = outcome.saved
                graded = [v for v in sample.values.all() if v.grade]
                messages.success(request, f"Safety labs of {sample.sample_date:%Y-%m-%d} saved.")
                if graded:
                    messages.warning(request, "Proposed for a physician to confirm: " + "; ".join(
                        f"{v.graded_term} grade {v.grade}" for v in graded) + ".")
            if outcome.done:
                return _to_patient(patient)
        return render(request, self.template, {"patient": patient, "form": form}, status=400)


class LabValueEditView(CapabilityRequired, View):
    """Correct one saved lab value with a reason; it is graded again (see lab_value_update)."""

    permission_required = ENTER_DATA
    template = "safety/lab_value_form.html"

    def get(self, request, value_pk):
        lab_value = self._value(value_pk)
        locked = locked_response(request, lab_value, patient=lab_value.patient,
                                 label=f"{lab_value.get_analyte_display()} ({lab_value.sample_date:%Y-%m-%d})")
        if locked:
            return locked
        initial = {name: getattr(lab_value, name) for name in ("value", "unit", "lln", "uln", "version")}
        return self._render(request, lab_value, LabValueForm(initial=initial, analyte=self._analyte(lab_value)))

    def post(self, request, value_pk):
        lab_value = self._value(value_pk)
        form = LabValueForm(request.POST, analyte=self._analyte(lab_value))
        conflict = None
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: lab_value_update(
                lab_value=lab_value, values=form.lab_input(), user=request.user, reason=form.cleaned_data["reason"],
                version=form.version))
            if outcome.saved:
                saved = outcome.saved
                graded = f"{saved.graded_term} grade {saved.grade}" if saved.grade else "not graded"
                messages.success(request, f"{saved.get_analyte_display()} corrected: now {graded}.")
                return _to_patient(lab_value.patient)
            if outcome.conflict:
                conflict, lab_value = outcome.conflict, self._value(value_pk)
        return self._render(request, lab_value, form, status=409 if conflict else 400, conflict=conflict)

    def _value(self, value_pk):
        return get_object_or_404(LabValue.objects.select_related("patient"), pk=value_pk)

    def _analyte(self, lab_value):
        return ANALYTES_BY_CODE[lab_value.analyte]

    def _render(self, request, lab_value, form, status=200, conflict=None):
        return render(request, self.template, {"patient": lab_value.patient, "lab_value": lab_value, "form": form,
                                               "history": history_rows(lab_value), "conflict": conflict},
                      status=status)


class AdverseEventCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA
    template = "safety/ae_form.html"

    def get(self, request, study_id):
        return self._render(request, _patient(study_id), AdverseEventForm(initial={"onset_date": study_today()}))

    def post(self, request, study_id):
        patient = _patient(study_id)
        form = AdverseEventForm(request.POST)
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: adverse_event_record(
                patient=patient, data=form.ae_input(), user=request.user, token=form.token))
            if outcome.saved:
                _event_saved(request, outcome.saved)
            if outcome.done:
                return _to_patient(patient)
        return self._render(request, patient, form, status=400)

    def _render(self, request, patient, form, status=200, event=None, conflict=None):
        return render(request, self.template, {"patient": patient, "form": form, "event": event,
                                               "grade_map": grade_map(), "conflict": conflict}, status=status)


def _event_saved(request, saved: AeSaved) -> None:
    """Say what the service did: the event, and the withdrawal it started (its result, not a threshold here)."""
    event = saved.event
    messages.success(request, _("%(term)s grade %(grade)s saved.") % {"term": event.term, "grade": event.grade})
    if saved.withdrawal_pending:
        why = (_("Grade %(grade)s") % {"grade": event.grade} if saved.withdrawal_reason == "grade"
               else _("Action taken: withdrawn"))
        messages.error(request, _("%(why)s: %(study_id)s is marked for withdrawal; a physician records the "
                                  "off-study date and reason.") % {"why": why, "study_id": event.patient.study_id})


class AdverseEventEditView(AdverseEventCreateView):
    def get(self, request, ae_pk):
        event = get_object_or_404(AdverseEvent.objects.select_related("patient"), pk=ae_pk)
        locked = locked_response(request, event, patient=event.patient, label=f"{event.term} ({event.onset_date})")
        if locked:
            return locked
        initial = {name: getattr(event, name) for name in ("grade", "onset_date", "end_date", "relation",
                                                           "action", "outcome", "death_date", "version")}
        initial["serious"] = "yes" if event.serious else "no"
        initial["term"], initial["other_term"] = (event.term, "") if find_term(event.term) else (OTHER, event.term)
        return self._render(request, event.patient, AdverseEventForm(initial=initial, editing=True), event=event)

    def post(self, request, ae_pk):
        event = get_object_or_404(AdverseEvent.objects.select_related("patient"), pk=ae_pk)
        form = AdverseEventForm(request.POST, editing=True)
        conflict = None
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: adverse_event_update(
                event=event, data=form.ae_input(), user=request.user, reason=form.cleaned_data["reason"],
                version=form.version))
            if outcome.saved:
                _event_saved(request, outcome.saved)
                return _to_patient(event.patient)
            conflict = outcome.conflict
        return self._render(request, event.patient, form, status=409 if conflict else 400, event=event,
                            conflict=conflict)


class ProposalDecideView(CapabilityRequired, View):
    permission_required = REVIEW_DATA
    template = "safety/proposal.html"

    def get(self, request, proposal_pk):
        proposal = self._proposal(proposal_pk)
        version = {"version": proposal.version}
        return self._render(request, proposal, ProposalConfirmForm(initial={"relation": "possible", **version}),
                            ProposalDismissForm(initial=version))

    def post(self, request, proposal_pk):
        proposal = self._proposal(proposal_pk)
        version = {"version": proposal.version}
        confirm, dismiss = ProposalConfirmForm(initial=version), ProposalDismissForm(initial=version)
        outcome = None
        if request.POST.get("decision") == "dismiss":
            dismiss = ProposalDismissForm(request.POST)
            if dismiss.is_valid():
                outcome = entry_submit(request, dismiss, lambda: ae_proposal_dismiss(
                    proposal=proposal, reason=dismiss.cleaned_data["dismiss_reason"], user=request.user,
                    version=dismiss.cleaned_data["version"]))
                if outcome.saved:
                    messages.success(request, f"Dismissed: {proposal}.")
        else:
            confirm = ProposalConfirmForm(request.POST)
            if confirm.is_valid():
                outcome = entry_submit(request, confirm, lambda: ae_proposal_confirm(
                    proposal=proposal, data=confirm.ae_input(proposal), user=request.user,
                    version=confirm.cleaned_data["version"]))
                if outcome.saved:
                    _event_saved(request, outcome.saved)
        if outcome and outcome.done:
            return _to_patient(proposal.patient)
        conflict = outcome.conflict if outcome else None
        if conflict:  # the proposal changed (its lab value was corrected): show it as it is now
            proposal = self._proposal(proposal_pk)
        return self._render(request, proposal, confirm, dismiss, status=409 if conflict else 400, conflict=conflict)

    def _proposal(self, pk):
        return get_object_or_404(AeProposal.objects.select_related("patient", "lab_value"), pk=pk)

    def _render(self, request, proposal, confirm, dismiss, status=200, conflict=None):
        term = find_term(proposal.term)
        return render(request, self.template, {
            "proposal": proposal, "patient": proposal.patient, "confirm": confirm, "dismiss": dismiss,
            "definition": term.grades.get(proposal.grade, "") if term else "", "conflict": conflict}, status=status)


class TregCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA
    template = "safety/treg_form.html"

    def get(self, request, study_id):
        return render(request, self.template, {"patient": _patient(study_id), "form": TregForm()})

    def post(self, request, study_id):
        patient = _patient(study_id)
        form = TregForm(request.POST)
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: treg_record(patient=patient, user=request.user,
                                                                      **form.cleaned_data))
            if outcome.saved:
                messages.success(request, "Treg value saved.")
            if outcome.done:
                return _to_patient(patient)
        return render(request, self.template, {"patient": patient, "form": form}, status=400)


class ControlListView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request):
        return render(request, "safety/controls.html", {"controls": HealthyControl.objects.all()})


class ControlCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA
    template = "safety/control_form.html"

    def get(self, request):
        return render(request, self.template, {"form": HealthyControlForm()})

    def post(self, request):
        form = HealthyControlForm(request.POST)
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: healthy_control_record(user=request.user,
                                                                                 **form.cleaned_data))
            if outcome.saved:
                messages.success(request, f"Healthy control {outcome.saved.control_id} saved.")
            if outcome.done:
                return redirect("safety:controls")
        return render(request, self.template, {"form": form}, status=400)


class StudySafetyView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request):
        return render(request, "safety/study.html", study_safety(today=study_today()))

