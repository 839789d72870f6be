"""Content-Security-Policy on every response, from settings.CONTENT_SECURITY_POLICY ({directive: [sources]}).

The policy allows scripts and styles from this site only: no inline <script>, no on*= handlers, no style
attributes. JavaScript lives in static/js/*.js; data for it travels in json_script blocks or data-* attributes.
"""

from django.conf import settings


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(getattr(settings, "CONTENT_SECURITY_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response
