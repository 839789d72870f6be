from django.http import Http404, HttpResponse
from django.views import View

from itp_trial.roles import VIEW_REPORTS
from itp_trial.views import CapabilityRequired
from patients.models import Patient

from .casebook_pdf import casebook_pdf


class CasebookPdfView(CapabilityRequired, View):
    """The archive casebook of one patient (physicians, monitors, data managers); logged like an export."""

    permission_required = VIEW_REPORTS

    def get(self, request, study_id):
        try:
            patient = Patient.objects.select_related("response", "eligibility__checked_by").get(study_id=study_id)
        except Patient.DoesNotExist as exc:
            raise Http404(study_id) from exc
        pdf = casebook_pdf(patient=patient, user=request.user, request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="casebook-{patient.study_id}.pdf"'
        return response
