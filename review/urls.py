from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("visits/<int:pk>/sign/", views.SignVisitView.as_view(), name="sign_visit"),
    path("patients/<str:study_id>/sign/", views.SignCasebookView.as_view(), name="sign_casebook"),
    path("signatures/<int:signature_pk>/unlock/", views.UnlockView.as_view(), name="unlock"),
]
