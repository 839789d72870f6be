from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from itp_trial.clock import study_today
from itp_trial.roles import VIEW_REPORTS
from itp_trial.views import CapabilityRequired
from visits.selectors import slot_label

from .downloads import JSON_NAME, PDF_NAME, report_context, study_report_json, study_report_pdf
from .selectors import study_figure


def labelled(report: dict) -> dict:
    """The report with each timepoint's display label (pages only; the JSON interface has none)."""
    for row in report["timepoints"]:
        row["label"] = slot_label(row["visit"])
    return report


class StudyResponseView(CapabilityRequired, View):
    """The study report: the paper's Tables 1–5 and Figures 1–2, drug monitoring and adverse events."""

    permission_required = VIEW_REPORTS

    def get(self, request):
        context = report_context(today=study_today())
        labelled(context["report"])
        context["figures"] = {"one": reverse("reports:figure", args=[1]), "two": reverse("reports:figure", args=[2])}
        return render(request, "reports/response.html", context)


class StudyFigureView(CapabilityRequired, View):
    permission_required = VIEW_REPORTS

    def get(self, request, number: int):
        if number not in (1, 2):
            raise Http404("no such figure")
        response = HttpResponse(study_figure(number=number), content_type="image/svg+xml")
        response["Cache-Control"] = "private, no-cache"
        return response


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    stem, extension = name.rsplit(".", 1)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{study_today()}.{extension}"'
    return response


class StudyReportPdfView(CapabilityRequired, View):
    permission_required = VIEW_REPORTS

    def get(self, request):
        content = study_report_pdf(user=request.user, today=study_today(), request=request)
        return _attachment(content, "application/pdf", PDF_NAME)


class StudyReportJsonView(CapabilityRequired, View):
    permission_required = VIEW_REPORTS

    def get(self, request):
        content = study_report_json(user=request.user, today=study_today())
        return _attachment(content, "application/json", JSON_NAME)
