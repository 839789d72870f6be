"""/api/v1/: every declared record type's endpoints, the study report, the OpenAPI schema and its documentation
page; /api/tokens/: the user's own token page.

The JSON endpoints answer 401 themselves (token or session), so the site's login redirect is switched off for them;
they answer in English whatever the language asked for (api.language: a machine interface).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from .catalogue import ENDPOINTS
from .docs import DocsView
from .language import in_english
from .records import not_found, viewset_for
from .report import StudyExportView, StudyReportView
from .token_pages import TokensView

app_name = "api"

router = SimpleRouter()
for endpoint in ENDPOINTS:
    router.register(f"v1/{endpoint.path}", viewset_for(endpoint), basename=endpoint.key)


def _own_auth(patterns):
    for pattern in patterns:
        pattern.callback = login_not_required(in_english(pattern.callback))
    return patterns


urlpatterns = [
    path("v1/docs/", DocsView.as_view(), name="docs"),
    *_own_auth([
        # JSON unless asked for YAML (?format=yaml, or Accept: application/yaml)
        path("v1/schema/", SpectacularAPIView.as_view(renderer_classes=[
            OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer, OpenApiYamlRenderer2]), name="schema"),
        path("v1/study-report/", StudyReportView.as_view(), name="study_report"),
        path("v1/study-export/", StudyExportView.as_view(), name="study_export"),
        *router.urls,
        re_path(r"^v1/", not_found),  # any other /api/v1/ address: a JSON 404, not the site's page
    ]),
    path("tokens/", TokensView.as_view(), name="tokens"),
]
