"""History pages for every declared record type: one record's, and a patient's whole casebook, newest first."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from itp_trial.roles import VIEW_STUDY
from itp_trial.views import CapabilityRequired

from .history import patient_history, patient_types, record_history, related_histories
from .registry import declaration_by_key, subject_model


def _declaration_or_404(key: str):
    try:
        return declaration_by_key(key)
    except StopIteration:
        raise Http404(f"No record type {key!r}.") from None


class RecordHistoryView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request, key: str, pk: int):
        record_type = _declaration_or_404(key)
        record = get_object_or_404(record_type.model, pk=pk)
        patient_id = record_type.patient(record)
        patient = subject_model().objects.get(pk=patient_id) if patient_id is not None else None
        return render(request, "casebook/history.html", {
            "record_type": record_type, "record": record, "patient": patient,
            "entries": record_history(record_type, record), "related": related_histories(record),
        })


class PatientHistoryView(CapabilityRequired, View):
    permission_required = VIEW_STUDY

    def get(self, request, study_id: str):
        patient = get_object_or_404(subject_model(), study_id=study_id)
        types = patient_types()
        chosen = {key for key in request.GET.getlist("type") if any(t.key == key for t in types)}
        return render(request, "casebook/patient_history.html", {
            "patient": patient, "types": types, "chosen": chosen,
            "entries": patient_history(patient=patient, keys=chosen or None),
        })


def history_redirect(key: str, pk_kwarg: str = "pk"):
    """The view an app's former history URL becomes: a redirect to the record's page here."""

    def view(request, **kwargs):
        return redirect("casebook:history", key=key, pk=kwargs[pk_kwarg], permanent=False)

    return view


def patient_history_redirect(request, study_id: str):
    return redirect("casebook:patient_history", study_id=study_id, permanent=False)
