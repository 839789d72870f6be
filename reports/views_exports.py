from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views import View

from itp_trial.clock import study_today
from itp_trial.roles import EXPORT_DATA
from itp_trial.views import CapabilityRequired

from .datasets import DATASETS
from .exporting import UnknownDataset, codebook_csv, dataset_get, export_stream, export_zip
from .interchange_export import study_export
from .models import ExportLog

CSV = "text/csv; charset=utf-8"
YES = {"1", "true", "yes", "on"}


def bom_asked(request) -> bool:
    """`?bom=1`: start each CSV with the UTF-8 byte-order mark (the Exports page's links ask; a bare address does
    not, so scripts reading the CSV get the same bytes as before)."""
    return request.GET.get("bom", "").lower() in YES


def _dataset_or_404(name: str):
    try:
        return dataset_get(name)
    except UnknownDataset as exc:
        raise Http404(str(exc)) from exc


class ExportListView(CapabilityRequired, View):
    permission_required = EXPORT_DATA

    def get(self, request):
        datasets = [(d, d.count()) for d in DATASETS.values()]
        recent = ExportLog.objects.select_related("user")[:10]
        return render(request, "reports/exports.html", {"datasets": datasets, "recent": recent})


class ExportDatasetView(CapabilityRequired, View):
    permission_required = EXPORT_DATA

    def get(self, request, name):
        dataset = _dataset_or_404(name)
        chunks = export_stream(dataset=dataset, user=request.user, bom=bom_asked(request))
        response = StreamingHttpResponse(chunks, content_type=CSV)
        response["Content-Disposition"] = f'attachment; filename="{dataset.name}-{study_today()}.csv"'
        return response


class ExportCodebookView(CapabilityRequired, View):
    permission_required = EXPORT_DATA

    def get(self, request, name):
        dataset = _dataset_or_404(name)
        response = HttpResponse(codebook_csv(dataset, bom=bom_asked(request)), content_type=CSV)
        response["Content-Disposition"] = f'attachment; filename="{dataset.name}-codebook.csv"'
        return response


class ExportZipView(CapabilityRequired, View):
    permission_required = EXPORT_DATA

    def get(self, request):
        return FileResponse(export_zip(user=request.user, bom=bom_asked(request)), as_attachment=True,
                            filename=f"itp-trial-export-{study_today()}.zip", content_type="application/zip")


class ExportStudyView(CapabilityRequired, View):
    """The whole study as the interchange document, the same bytes as `manage.py export_study`."""

    permission_required = EXPORT_DATA

    def get(self, request):
        response = HttpResponse(study_export(user=request.user), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="itp-trial-study-{study_today()}.json"'
        return response
