"""The study report (`study_report --json`'s document) as an endpoint, logged like its download."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from itp_trial.roles import VIEW_REPORTS
from reports.downloads import JSON_NAME, report_download_log
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
        report = study_report(today=timezone.localdate())
        report_download_log(user=request.user, name=JSON_NAME, patients=report["table1"]["n"], via="api")
        return Response(report)
