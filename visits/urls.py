from django.urls import path

from casebook.views import history_redirect

from . import views

app_name = "visits"
urlpatterns = [
    path("patients/<str:study_id>/visits/new/<slug:code>/", views.VisitCreateView.as_view(), name="create"),
    path("patients/<str:study_id>/rescue/new/", views.RescueCreateView.as_view(), name="rescue"),
    path("visits/<int:pk>/edit/", views.VisitEditView.as_view(), name="edit"),
    path("visits/<int:pk>/history/", history_redirect("visit"), name="history"),
]
