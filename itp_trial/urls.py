from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import LanguageView, StudyLoginView
from drafts.idle import session_keepalive, session_status
from patients import urls as patient_urls
from visits.views import PatientEnrolView, PatientListView

from .catalogue import javascript_catalogue
from .errors import bad_request, page_not_found
from .help import HelpView
from .views import favicon

handler400 = bad_request
handler404 = page_not_found

# The patients' pages: the list and enrolment (visits, since they read and write the visit plan) before the
# patient's own pages (patients), whose "<study id>/" would otherwise take "enrol/".
patient_pages = ([
    path("", PatientListView.as_view(), name="list"),
    path("enrol/", PatientEnrolView.as_view(), name="enrol"),
    *patient_urls.urlpatterns,
], patient_urls.app_name)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="patients:list", permanent=False)),
    path("favicon.ico", favicon, name="favicon"),
    path("login/", StudyLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch (Django's set_language, which also keeps a signed-in user's choice) and the JavaScript
    # catalogue (gettext/interpolate for static/js, in the page's language), both open to the login page.
    path("i18n/setlang/", LanguageView.as_view(), name="set_language"),
    path("i18n/js/", javascript_catalogue, name="javascript_catalog"),
    path("session/status/", session_status, name="session_status"),
    path("session/keepalive/", session_keepalive, name="session_keepalive"),
    path("help/", HelpView.as_view(), name="help_home"),
    path("help/<slug:role>/", HelpView.as_view(), name="help"),
    path("patients/", include(patient_pages)),
    path("", include("visits.urls")),
    path("dosing/", include("dosing.urls")),
    path("safety/", include("safety.urls")),
    path("inbox/", include("inbox.urls")),
    path("review/", include("review.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("reports/", include("reports.urls")),
    path("accounts/", include("accounts.urls")),
    path("history/", include("casebook.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
