from django.urls import path

from casebook.views import history_redirect

from . import views

app_name = "dosing"
urlpatterns = [
    path("monitoring/", views.MonitoringView.as_view(), name="monitoring"),
    path("patients/<str:study_id>/doses/new/", views.DoseEntryView.as_view(), name="dose_create"),
    path("patients/<str:study_id>/stop/", views.SirolimusStopView.as_view(), name="stop"),
    path("patients/<str:study_id>/troughs/new/", views.TroughEntryView.as_view(), name="trough_create"),
    path("patients/<str:study_id>/con-meds/new/", views.ConMedEntryView.as_view(), name="con_med_create"),
    path("doses/<int:dose_pk>/edit/", views.DoseEntryView.as_view(), name="dose_edit"),
    path("doses/<int:dose_pk>/history/", history_redirect("dose", "dose_pk"), name="dose_history"),
    path("troughs/<int:trough_pk>/edit/", views.TroughEntryView.as_view(), name="trough_edit"),
    path("troughs/<int:trough_pk>/history/", history_redirect("trough", "trough_pk"), name="trough_history"),
    path("troughs/<int:trough_pk>/accept/", views.TroughAcceptView.as_view(), name="trough_accept"),
    path("troughs/<int:trough_pk>/dismiss/", views.TroughDismissView.as_view(), name="trough_dismiss"),
    path("con-meds/<int:con_med_pk>/edit/", views.ConMedEntryView.as_view(), name="con_med_edit"),
    path("con-meds/<int:con_med_pk>/history/", history_redirect("con_med", "con_med_pk"), name="con_med_history"),
]
