"""The study report (`study_report --json`'s document) as an endpoint, logged like its download."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from itp_trial.clock import study_today
from itp_trial.roles import EXPORT_DATA, VIEW_REPORTS
from reports.downloads import JSON_NAME, report_download_log
from reports.interchange_export import study_export
from reports.selectors import study_report

from .records import COMMON


class ViewReports(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(VIEW_REPORTS))


class StudyReportView(APIView):
    permission_classes = [ViewReports]

    @extend_schema(summary="The study report", tags=["Study report"],
                   description="The document `manage.py study_report --json` prints: response tables, dosing and "
                               "safety, and the paper's Tables 1-5, as of today.",
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, "The study report."), **COMMON})
    def get(self, request):
        report = study_report(today=study_today())
        report_download_log(user=request.user, name=JSON_NAME, patients=report["table1"]["n"], via="api")
        return Response(report)


class ExportData(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(EXPORT_DATA))


class StudyExportView(APIView):
    """The interchange document as bytes: the same as `export_study` and the Exports page's download."""

    permission_classes = [ExportData]

    @extend_schema(summary="The study interchange document", tags=["Study report"],
                   description="The whole study in the interchange format `import_study` reads (the bytes "
                               "`manage.py export_study` writes), logged like the Exports page's download.",
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, "The interchange document."), **COMMON})
    def get(self, request):
        return HttpResponse(study_export(user=request.user, via="api"), content_type="application/json")
