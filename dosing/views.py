"""Thin views: parse the form, call the service, render or redirect to the patient page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from casebook.editing import entry_submit, locked_response
from itp_trial.clock import study_today
from itp_trial.roles import ENTER_DATA, REVIEW_DATA, VIEW_REPORTS
from itp_trial.views import CapabilityRequired
from patients.models import Patient
from visits.schedule import PROTOCOL_SCHEDULE

from .forms import AcceptForm, ConMedForm, DismissForm, DoseForm, StopForm, TroughForm
from .models import ConMed, DoseChange, Phase, Trough
from .protocol import PROTOCOL
from .selectors import drug_monitoring_list, trough_assessment
from .services import (
    con_med_record,
    con_med_update,
    dose_change_record,
    dose_change_update,
    sirolimus_stop,
    trough_record,
    trough_suggestion_accept,
    trough_suggestion_dismiss,
    trough_update,
)
from .tdm import fmt, follow_up_end


def _to_patient(patient: Patient):
    return redirect("patients:detail", study_id=patient.study_id)


class EntryView(CapabilityRequired, View):
    """Create (study_id in the URL) or correct (object pk in the URL) one dosing record through its service."""

    permission_required = ENTER_DATA
    form_class = None
    model = None
    pk_kwarg = ""
    title = ""
    intro = ""
    submit = "Save"

    def get_object(self, kwargs):
        if self.pk_kwarg in kwargs:
            obj = get_object_or_404(self.model.objects.select_related("patient"), pk=kwargs[self.pk_kwarg])
            return obj.patient, obj
        return get_object_or_404(Patient, study_id=kwargs["study_id"]), None

    def initial(self, obj) -> dict:
        """The saved values, for a correction."""
        return {}

    def new_initial(self, patient) -> dict:
        """Defaults for a new entry."""
        return {}

    def make_form(self, patient, obj, data=None):
        initial = {**self.initial(obj), "version": obj.version} if obj else self.new_initial(patient)
        return self.form_class(data, initial=initial, editing=obj is not None)

    def get(self, request, **kwargs):
        patient, obj = self.get_object(kwargs)
        if obj is not None:
            locked = locked_response(request, obj, patient=patient, label=str(obj._meta.verbose_name).capitalize())
            if locked:
                return locked
        return self.render(request, patient, obj, self.make_form(patient, obj))

    def post(self, request, **kwargs):
        patient, obj = self.get_object(kwargs)
        form = self.make_form(patient, obj, request.POST)
        conflict = None
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: self.save(form, patient, obj, request.user))
            if outcome.saved:
                self.saved_message(request, outcome.saved)
            if outcome.done:
                return _to_patient(patient)
            conflict = outcome.conflict
        return self.render(request, patient, obj, form, status=409 if conflict else 400, conflict=conflict)

    def save(self, form, patient, obj, user):
        raise NotImplementedError

    def saved_message(self, request, saved) -> None:
        messages.success(request, f"{saved} saved.")

    def render(self, request, patient, obj, form, status=200, conflict=None):
        context = {"patient": patient, "obj": obj, "form": form, "title": ("Correct " if obj else "") + self.title,
                   "intro": self.intro, "submit": self.submit, "conflict": conflict}
        return render(request, "dosing/form.html", context, status=status)


class DoseEntryView(EntryView):
    form_class = DoseForm
    model = DoseChange
    pk_kwarg = "dose_pk"
    title = "sirolimus dose"
    intro = ("Each prescription is in force from its start date until the next one. The first is the day-0 dose. "
             "Protocol ranges: adults start 2–4, maintain 1–2 mg/day; children (< 18) start 1–2, maintain 0.5–1.")
    submit = "Save dose"

    def make_form(self, patient, obj, data=None):
        initial = {**self.initial(obj), "version": obj.version} if obj else self.new_initial(patient)
        stop = obj is not None and obj.phase == Phase.STOP  # correcting a stop keeps it a stop
        return self.form_class(data, initial=initial, editing=obj is not None, stop=stop,
                               prescriber=self.request.user.has_perm(REVIEW_DATA))

    def initial(self, obj):
        return {name: getattr(obj, name) for name in
                ("start_date", "mg_per_day", "phase", "change_reason", "prescribed_by", "out_of_range_reason")}

    def new_initial(self, patient):
        if patient.dose_changes.exists():
            return {"start_date": study_today(), "phase": Phase.ADJUSTMENT}
        return {"start_date": patient.start_date, "phase": Phase.START}  # the regimen begins on day 0

    def save(self, form, patient, obj, user):
        if obj is None:
            return dose_change_record(patient=patient, values=form.values(), user=user, token=form.token)
        return dose_change_update(dose=obj, values=form.values(), user=user, reason=form.cleaned_data["reason"],
                                  version=form.version)

    def saved_message(self, request, saved):
        messages.success(request, f"Dose saved: {fmt(saved.mg_per_day)} mg/day from {saved.start_date}.")
        if saved.out_of_range_reason:
            messages.warning(request, f"Outside the protocol range, saved with the reason: {saved.out_of_range_reason}")


class TroughEntryView(EntryView):
    form_class = TroughForm
    model = Trough
    pk_kwarg = "trough_pk"
    title = "trough level"
    intro = (f"Target {PROTOCOL.target_low:g}–{PROTOCOL.target_high:g} ng/mL. Draw the sample just before the next "
             "dose; a suggested dose is shown on the patient page for a level outside the target.")
    submit = "Save level"

    def initial(self, obj):
        return {name: getattr(obj, name) for name in ("sample_date", "sample_time", "ng_ml", "hours_since_dose", "lab")}

    def new_initial(self, patient):
        return {"sample_date": study_today()}

    def save(self, form, patient, obj, user):
        if obj is None:
            return trough_record(patient=patient, values=form.values(), user=user, token=form.token)
        return trough_update(trough=obj, values=form.values(), user=user, reason=form.cleaned_data["reason"],
                             version=form.version)

    def saved_message(self, request, saved):
        row = trough_assessment(trough=saved)
        text = f"Level {saved.ng_ml} ng/mL saved: {row.level}."
        if row.suggestion.mg_per_day is not None:
            text += f" Suggested dose {row.suggestion.arithmetic}, for a physician to accept or dismiss."
        elif row.suggestion.note:
            text += f" {row.suggestion.note}"
        (messages.warning if row.flagged else messages.success)(request, text)
        if row.timing_warning:
            messages.warning(request, row.timing_warning)


class ConMedEntryView(EntryView):
    form_class = ConMedForm
    model = ConMed
    pk_kwarg = "con_med_pk"
    title = "concomitant medication"
    intro = ("Record each step of a glucocorticoid taper as its own entry (dose and dates). Strong CYP3A4 "
             "inhibitors or inducers and cyclosporine change the sirolimus level: the patient page warns about them.")
    submit = "Save medication"

    def initial(self, obj):
        return {name: getattr(obj, name) for name in
                ("name", "dose", "start_date", "stop_date", "indication", "glucocorticoid_taper")}

    def save(self, form, patient, obj, user):
        if obj is None:
            return con_med_record(patient=patient, values=form.values(), user=user, token=form.token)
        return con_med_update(con_med=obj, values=form.values(), user=user, reason=form.cleaned_data["reason"],
                              version=form.version)


class SirolimusStopView(CapabilityRequired, View):
    permission_required = ENTER_DATA

    def get(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        return self._render(request, patient, StopForm(initial={"stop_date": study_today()}))

    def post(self, request, study_id):
        patient = get_object_or_404(Patient, study_id=study_id)
        form = StopForm(request.POST)
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: sirolimus_stop(
                patient=patient, user=request.user, stop_date=form.cleaned_data["stop_date"],
                reason=form.cleaned_data["reason"], token=form.token))
            if outcome.saved:
                messages.success(request, f"Sirolimus stopped on {outcome.saved.start_date}; safety follow-up "
                                          f"continues until {follow_up_end(outcome.saved.start_date)}.")
            if outcome.done:
                return _to_patient(patient)
        return self._render(request, patient, form, status=400)

    def _render(self, request, patient, form, status=200):
        context = {"patient": patient, "form": form, "title": "Stop sirolimus", "submit": "Stop sirolimus",
                   "intro": f"The stop is recorded as 0 mg/day from the stop date. Safety follow-up continues "
                            f"{PROTOCOL_SCHEDULE.safety_follow_up_days} days after it."}
        return render(request, "dosing/form.html", context, status=status)


class ReviewView(CapabilityRequired, View):
    """A physician's decision on the dose suggested after a level."""

    permission_required = REVIEW_DATA
    form_class = None

    def _trough(self, trough_pk):
        return get_object_or_404(Trough.objects.select_related("patient", "reviewed_by"), pk=trough_pk)

    def get(self, request, trough_pk):
        trough = self._trough(trough_pk)
        return self._render(request, trough, self.form_class(initial={**self.form_initial(),
                                                                     "version": trough.version}))

    def post(self, request, trough_pk):
        trough = self._trough(trough_pk)
        form = self.form_class(request.POST)
        conflict = None
        if form.is_valid():
            outcome = entry_submit(request, form, lambda: self.decide(trough, form, request.user))
            if outcome.done:
                return _to_patient(trough.patient)
            if outcome.conflict:  # the level changed since the page was opened: show it as it is now
                conflict, trough = outcome.conflict, self._trough(trough_pk)
        return self._render(request, trough, form, status=409 if conflict else 400, conflict=conflict)

    def form_initial(self) -> dict:
        return {}

    def _render(self, request, trough, form, status=200, conflict=None):
        context = {"patient": trough.patient, "row": trough_assessment(trough=trough), "form": form,
                   "accepting": self.form_class is AcceptForm, "conflict": conflict}
        return render(request, "dosing/review.html", context, status=status)


class TroughAcceptView(ReviewView):
    form_class = AcceptForm

    def form_initial(self):
        return {"start_date": study_today()}

    def decide(self, trough, form, user):
        dose = trough_suggestion_accept(trough=trough, user=user, **form.cleaned_data)
        messages.success(self.request, f"Suggestion accepted: {fmt(dose.mg_per_day)} mg/day from {dose.start_date}. "
                                       "A trough is due 7–14 days after the change.")
        return dose


class TroughDismissView(ReviewView):
    form_class = DismissForm

    def decide(self, trough, form, user):
        trough = trough_suggestion_dismiss(trough=trough, reason=form.cleaned_data["reason"], user=user,
                                           version=form.cleaned_data["version"])
        messages.success(self.request, "Suggestion dismissed; the dose is unchanged.")
        return trough


class MonitoringView(CapabilityRequired, View):
    permission_required = VIEW_REPORTS

    def get(self, request):
        today = study_today()
        return render(request, "dosing/monitoring.html",
                      {"rows": drug_monitoring_list(today=today), "today": today, "protocol": PROTOCOL})
