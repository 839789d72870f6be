from django.urls import path

from . import views

app_name = "casebook"
urlpatterns = [
    path("patients/<str:study_id>/", views.PatientHistoryView.as_view(), name="patient_history"),
    path("<slug:key>/<int:pk>/", views.RecordHistoryView.as_view(), name="history"),
]
