"""Thin views: parse the form, call a service, render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from audit.history import history_rows
from itp_trial.roles import ENTER_DATA, REVIEW_DATA, VIEW_STUDY
from itp_trial.submissions import submission_claim, submission_key
from itp_trial.views import CapabilityRequired
from patients.models import Patient
from visits.forms import add_service_errors

from .ctcae import ANALYTES_BY_CODE
from .forms import (
    OTHER,
    AdverseEventForm,
    HealthyControlForm,
    LabSampleForm,
    LabValueForm,
    OffStudyForm,
    ProposalConfirmForm,
    ProposalDismissForm,
    TregForm,
    grade_map,
)
from .models import AdverseEvent, AeProposal, HealthyControl, LabValue, Withdrawal
from .selectors import study_safety
from .services import (
    adverse_event_record,
    adverse_event_update,
    ae_proposal_confirm,
    ae_proposal_dismiss,
    healthy_control_record,
    lab_sample_record,
    lab_value_update,
    treg_record,
    withdrawal_complete,
)
from .terms import find_term


def _patient(study_id: str) -> Patient:
    return get_object_or_404(Patient, study_id=study_id)


def _to_patient(patient: Patient):
    return redirect("patients:detail", study_id=patient.study_id)


def _already_saved(request, patient: Patient):
    messages.info(request, _("This form had already been saved; it was not saved a second time."))
    return _to_patient(patient)


class LabCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA
    template = "safety/lab_form.html"

    def get(self, request, study_id):
        patient = _patient(study_id)
        form = LabSampleForm(initial={"sample_date": timezone.localdate()})
        return render(request, self.template, {"patient": patient, "form": form})

    def post(self, request, study_id):
        patient = _patient(study_id)
        form = LabSampleForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    if not submission_claim(key=submission_key(request.POST), user=request.user, path=request.path):
                        return _already_saved(request, patient)
                    sample = lab_sample_record(patient=patient, sample_date=form.cleaned_data["sample_date"],
                                               laboratory=form.cleaned_data["laboratory"], values=form.values(),
                                               user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                graded = [v for v in sample.values.all() if v.grade]
                messages.success(request, f"Safety labs of {sample.sample_date:%Y-%m-%d} saved.")
                if graded:
                    messages.warning(request, "Proposed for a physician to confirm: " + "; ".join(
                        f"{v.graded_term} grade {v.grade}" for v in graded) + ".")
                return _to_patient(patient)
        return render(request, self.template, {"patient": patient, "form": form}, status=400)


class LabValueEditView(CapabilityRequired, View):
    """Correct one saved lab value with a reason; it is graded again (see lab_value_update)."""

    permission_required = ENTER_DATA
    template = "safety/lab_value_form.html"

    def get(self, request, value_pk):
        lab_value = self._value(value_pk)
        initial = {name: getattr(lab_value, name) for name in ("value", "unit", "lln", "uln")}
        return self._render(request, lab_value, LabValueForm(initial=initial, analyte=self._analyte(lab_value)))

    def post(self, request, value_pk):
        lab_value = self._value(value_pk)
        form = LabValueForm(request.POST, analyte=self._analyte(lab_value))
        if form.is_valid():
            try:
                lab_value = lab_value_update(lab_value=lab_value, values=form.lab_input(), user=request.user,
                                             reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                graded = f"{lab_value.graded_term} grade {lab_value.grade}" if lab_value.grade else "not graded"
                messages.success(request, f"{lab_value.get_analyte_display()} corrected: now {graded}.")
                return _to_patient(lab_value.patient)
        return self._render(request, lab_value, form, status=400)

    def _value(self, value_pk):
        return get_object_or_404(LabValue.objects.select_related("patient"), pk=value_pk)

    def _analyte(self, lab_value):
        return ANALYTES_BY_CODE[lab_value.analyte]

    def _render(self, request, lab_value, form, status=200):
        return render(request, self.template, {"patient": lab_value.patient, "lab_value": lab_value, "form": form,
                                               "history": history_rows(lab_value)}, status=status)


class AdverseEventCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA
    template = "safety/ae_form.html"

    def get(self, request, study_id):
        return self._render(request, _patient(study_id), AdverseEventForm(initial={"onset_date": timezone.localdate()}))

    def post(self, request, study_id):
        patient = _patient(study_id)
        form = AdverseEventForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    if not submission_claim(key=submission_key(request.POST), user=request.user, path=request.path):
                        return _already_saved(request, patient)
                    event = adverse_event_record(patient=patient, data=form.ae_input(), user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _event_saved(request, event)
                return _to_patient(patient)
        return self._render(request, patient, form, status=400)

    def _render(self, request, patient, form, status=200, event=None):
        return render(request, self.template, {"patient": patient, "form": form, "event": event,
                                               "grade_map": grade_map()}, status=status)


def _event_saved(request, event: AdverseEvent) -> None:
    messages.success(request, f"{event.term} grade {event.grade} saved.")
    if event.grade >= 3:
        messages.error(request, f"Grade {event.grade}: {event.patient.study_id} is marked for withdrawal; a "
                                "physician records the off-study date and reason.")


class AdverseEventEditView(AdverseEventCreateView):
    def get(self, request, ae_pk):
        event = get_object_or_404(AdverseEvent.objects.select_related("patient"), pk=ae_pk)
        initial = {name: getattr(event, name) for name in ("grade", "onset_date", "end_date", "relation",
                                                           "action", "outcome", "death_date")}
        initial["serious"] = "yes" if event.serious else "no"
        initial["term"], initial["other_term"] = (event.term, "") if find_term(event.term) else (OTHER, event.term)
        return self._render(request, event.patient, AdverseEventForm(initial=initial, editing=True), event=event)

    def post(self, request, ae_pk):
        event = get_object_or_404(AdverseEvent.objects.select_related("patient"), pk=ae_pk)
        form = AdverseEventForm(request.POST, editing=True)
        if form.is_valid():
            try:
                event = adverse_event_update(event=event, data=form.ae_input(), user=request.user,
                                             reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _event_saved(request, event)
                return _to_patient(event.patient)
        return self._render(request, event.patient, form, status=400, event=event)


class ProposalDecideView(CapabilityRequired, View):
    permission_required = REVIEW_DATA
    template = "safety/proposal.html"

    def get(self, request, proposal_pk):
        proposal = self._proposal(proposal_pk)
        return self._render(request, proposal, ProposalConfirmForm(initial={"relation": "possible"}),
                            ProposalDismissForm())

    def post(self, request, proposal_pk):
        proposal = self._proposal(proposal_pk)
        confirm, dismiss = ProposalConfirmForm(), ProposalDismissForm()
        try:
            if request.POST.get("decision") == "dismiss":
                dismiss = ProposalDismissForm(request.POST)
                if dismiss.is_valid():
                    ae_proposal_dismiss(proposal=proposal, reason=dismiss.cleaned_data["dismiss_reason"],
                                        user=request.user)
                    messages.success(request, f"Dismissed: {proposal}.")
                    return _to_patient(proposal.patient)
            else:
                confirm = ProposalConfirmForm(request.POST)
                if confirm.is_valid():
                    event = ae_proposal_confirm(proposal=proposal, data=confirm.ae_input(proposal),
                                                user=request.user)
                    _event_saved(request, event)
                    return _to_patient(proposal.patient)
        except ValidationError as error:
            add_service_errors(dismiss if request.POST.get("decision") == "dismiss" else confirm, error)
        return self._render(request, proposal, confirm, dismiss, status=400)

    def _proposal(self, pk):
        return get_object_or_404(AeProposal.objects.select_related("patient", "lab_value"), pk=pk)

    def _render(self, request, proposal, confirm, dismiss, status=200):
        term = find_term(proposal.term)
        return render(request, self.template, {
            "proposal": proposal, "patient": proposal.patient, "confirm": confirm, "dismiss": dismiss,
            "definition": term.grades.get(proposal.grade, "") if term else ""}, status=status)


class OffStudyView(CapabilityRequired, View):
    permission_required = REVIEW_DATA
    template = "safety/off_study.html"

    def get(self, request, study_id):
        patient = _patient(study_id)
        return self._render(request, patient, OffStudyForm(initial={"off_study_date": timezone.localdate()}))

    def post(self, request, study_id):
        patient = _patient(study_id)
        form = OffStudyForm(request.POST)
        if form.is_valid():
            try:
                withdrawal_complete(patient=patient, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{patient.study_id} is off study.")
                return _to_patient(patient)
        return self._render(request, patient, form, status=400)

    def _render(self, request, patient, form, status=200):
        withdrawal = Withdrawal.objects.filter(patient=patient).select_related("adverse_event").first()
        return render(request, self.template, {"patient": patient, "form": form, "withdrawal": withdrawal},
                      status=status)


class TregCreateView(CapabilityRequired, View):
    permission_required = ENTER_DATA
    template = "safety/treg_form.html"

    def get(self, request, study_id):
        return render(request, self.template, {"patient": _patient(study_id), "form": TregForm()})

    def post(self, request, study_id):
        patient = _patient(study_id)
        form = TregForm(request.POST)
        if form.is_valid():
            try:
                treg_record(patient=patient, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Treg value saved.")
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
            try:
                control = healthy_control_record(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Healthy control {control.control_id} saved.")
                return redirect("safety:controls")
        return render(request, self.template, {"form": form}, status=400)


class StudySafetyView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request):
        return render(request, "safety/study.html", study_safety(today=timezone.localdate()))

