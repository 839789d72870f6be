from django.urls import path

from casebook.views import patient_history_redirect

from . import views

app_name = "patients"
urlpatterns = [
    path("<str:study_id>/", views.PatientDetailView.as_view(), name="detail"),
    path("<str:study_id>/edit/", views.PatientEditView.as_view(), name="edit"),
    path("<str:study_id>/history/", patient_history_redirect, name="history"),
    path("<str:study_id>/off-study/", views.OffStudyView.as_view(), name="off_study"),
]
