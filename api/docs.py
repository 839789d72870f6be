"""The API's documentation page: Swagger UI (vendored) reading the live schema, started by static/js/api-docs.js."""

from django.views.generic import TemplateView


class DocsView(TemplateView):
    template_name = "api/docs.html"
