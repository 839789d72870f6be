from django.urls import path

from . import views, views_exports

app_name = "reports"
urlpatterns = [
    path("response/", views.StudyResponseView.as_view(), name="response"),
    path("exports/", views_exports.ExportListView.as_view(), name="exports"),
    path("exports/all.zip", views_exports.ExportZipView.as_view(), name="export_zip"),
    path("exports/<slug:name>.csv", views_exports.ExportDatasetView.as_view(), name="export"),
    path("exports/<slug:name>-codebook.csv", views_exports.ExportCodebookView.as_view(), name="codebook"),
]
