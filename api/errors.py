"""Every refusal as JSON: field problems as {"field": [messages]} (nested fields dotted: "values.platelets"),
anything else as {"detail": message}. Services' ValidationErrors are translated here, once."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"


def flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure ({"values": {"platelets": [...]}, "items": [{}, {...}]}) as dotted keys."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = prefix if key == NON_FIELD and prefix else f"{prefix}{key}"
            for inner, messages in flatten(value, f"{name}.").items():
                flat.setdefault(inner, []).extend(messages)
    elif isinstance(errors, list) and errors and all(isinstance(item, dict | list) for item in errors):
        for index, value in enumerate(errors):
            for inner, messages in flatten(value, f"{prefix}{index}.").items():
                flat.setdefault(inner, []).extend(messages)
    else:
        items = errors if isinstance(errors, list) else [errors]
        flat[prefix.rstrip(".") or NON_FIELD] = [str(item) for item in items]
    return flat


def service_problems(error: DjangoValidationError, paths: dict[str, str]) -> dict[str, list[str]]:
    """A service's ValidationError, keyed by where each field is in the request (`paths`: name → dotted path)."""
    if hasattr(error, "error_dict"):
        problems: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            key = NON_FIELD if name == "__all__" else paths.get(name, name)
            problems.setdefault(key, []).extend(messages)
        return problems
    return {NON_FIELD: list(error.messages)}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(service_problems(exc, {}))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = flatten(response.data)
    return response


def problems_response(problems: dict[str, list[str]]) -> Response:
    return Response(problems, status=status.HTTP_400_BAD_REQUEST)
