"""The response protocol in force for this installation (setting RESPONSE_CRITERIA)."""

from django.conf import settings

from .response import IWG_PROTOCOL, STUDY_PROTOCOL, ResponseProtocol

PROTOCOLS = {"study": STUDY_PROTOCOL, "iwg": IWG_PROTOCOL}


def current_protocol() -> ResponseProtocol:
    return PROTOCOLS[getattr(settings, "RESPONSE_CRITERIA", "study")]
