from django.urls import path

from . import views, views_casebook, views_dashboards, views_exports

app_name = "reports"
urlpatterns = [
    path("response/", views.StudyResponseView.as_view(), name="response"),
    path("response/figure-<int:number>.svg", views.StudyFigureView.as_view(), name="figure"),
    path("response/study-report.pdf", views.StudyReportPdfView.as_view(), name="report_pdf"),
    path("response/study-report.json", views.StudyReportJsonView.as_view(), name="report_json"),
    path("dashboard/", views_dashboards.StudyDashboardView.as_view(), name="study_dashboard"),
    path("dashboard/summary/", views_dashboards.StudySummaryView.as_view(), name="study_summary"),
    path("patients/<str:study_id>/", views_dashboards.PatientDashboardView.as_view(), name="patient_dashboard"),
    path("patients/<str:study_id>/casebook.pdf", views_casebook.CasebookPdfView.as_view(), name="casebook_pdf"),
    path("exports/", views_exports.ExportListView.as_view(), name="exports"),
    path("exports/all.zip", views_exports.ExportZipView.as_view(), name="export_zip"),
    path("exports/study.json", views_exports.ExportStudyView.as_view(), name="export_study"),
    path("exports/<slug:name>-codebook.csv", views_exports.ExportCodebookView.as_view(), name="codebook"),
    path("exports/<slug:name>.csv", views_exports.ExportDatasetView.as_view(), name="export"),
]
