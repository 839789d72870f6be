from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "safety"
urlpatterns = [
    path("", views.StudySafetyView.as_view(), name="study"),
    # The inbox moved to /inbox/ (inbox app); old links and bookmarks still arrive there.
    path("inbox/", RedirectView.as_view(pattern_name="inbox:inbox", permanent=True)),
    path("controls/", views.ControlListView.as_view(), name="controls"),
    path("controls/new/", views.ControlCreateView.as_view(), name="control_create"),
    path("patients/<str:study_id>/labs/new/", views.LabCreateView.as_view(), name="lab_create"),
    path("patients/<str:study_id>/adverse-events/new/", views.AdverseEventCreateView.as_view(), name="ae_create"),
    path("patients/<str:study_id>/treg/new/", views.TregCreateView.as_view(), name="treg_create"),
    # Off study moved to the patient (/patients/<id>/off-study/); old links still arrive there.
    path("patients/<str:study_id>/off-study/", RedirectView.as_view(pattern_name="patients:off_study", permanent=True)),
    path("adverse-events/<int:ae_pk>/edit/", views.AdverseEventEditView.as_view(), name="ae_edit"),
    path("lab-values/<int:value_pk>/edit/", views.LabValueEditView.as_view(), name="lab_value_edit"),
    path("proposals/<int:proposal_pk>/", views.ProposalDecideView.as_view(), name="proposal"),
]
