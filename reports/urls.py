from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("response/", views.StudyResponseView.as_view(), name="response"),
]
