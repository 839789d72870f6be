from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("queries/", views.QueryListView.as_view(), name="queries"),
    path("queries/<int:query_pk>/", views.QueryView.as_view(), name="query"),
    path("verification/changed/", views.ChangedView.as_view(), name="changed"),
    path("records/<slug:key>/<int:pk>/", views.RecordView.as_view(), name="record"),
]
