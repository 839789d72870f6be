"""The same endpoints for every declared record type, built from its declaration (api.catalogue.ENDPOINTS):

    GET  /api/v1/<type>/                 list, filtered (patient, date_from, date_to, updated_since), cursor pages
    GET  /api/v1/<type>/<id>/            one record, ETag = its version
    GET  /api/v1/<type>/<id>/history/    who changed what, when and why
    POST /api/v1/<type>/                 create, through the declared service      (types that declare `create`)
    PUT  /api/v1/<type>/<id>/            update, If-Match + reason required        (types that declare `update`)

Writes call the declared services, so a request is checked, written, recomputed and audited exactly as the form's
post is, in one transaction (casebook.writes).
"""

import re
import typing
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, pagination, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response

from audit.history import history_rows
from casebook.registry import subject_model
from casebook.writes import RecordLocked, StaleRecord
from itp_trial.clock import study_zone

from .catalogue import Endpoint
from .errors import problems_response, service_problems
from .inputs import build, input_serializer, leaf_paths
from .serializers import HistoryRowSerializer, component_name, record_serializer, select_related

ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _("Send the version you read in an If-Match header (the record's ETag).")
    default_code = "precondition_required"


class RecordCursor(pagination.CursorPagination):
    """Stable pages in the order records were created; the cursor survives records added meanwhile."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class Capability(permissions.BasePermission):
    """The web app's role matrix: reading needs the read capability, writing the type's write capability."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method.lower() not in view.allowed_methods_lower():
            return True  # answered 405 by the view, to everyone who may read
        needed = view.read_capability if request.method in permissions.SAFE_METHODS else view.write_capability
        return request.user.has_perm(view.read_capability) and request.user.has_perm(needed)


class SinceField(serializers.DateTimeField):
    """A moment, or a day (from its start, in the study's time zone): `2026-03-01` or `2026-03-01T08:00:00Z`."""

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value.strip()) == 10:
            day = serializers.DateField().run_validation(value.strip())
            return timezone.make_aware(datetime.combine(day, time.min), study_zone())
        return super().to_internal_value(value)


class RecordFilter(serializers.Serializer):
    patient = serializers.CharField(required=False, help_text="The patient's study id (ITP-001).")
    date_from = serializers.DateField(required=False, help_text="Records dated on or after this day.")
    date_to = serializers.DateField(required=False, help_text="Records dated on or before this day.")
    updated_since = SinceField(
        required=False, help_text="Records created or changed at or after this time (ISO 8601 date or date-time; "
                                  "for incremental pulls).")


def filter_parameters(endpoint: Endpoint) -> list[OpenApiParameter]:
    names = ["updated_since"]
    if endpoint.has_patient or endpoint.key == "patient":
        names.insert(0, "patient")
    if endpoint.date_field:
        names[1:1] = ["date_from", "date_to"]
    fields = RecordFilter().fields
    types = {"patient": OpenApiTypes.STR, "date_from": OpenApiTypes.DATE, "date_to": OpenApiTypes.DATE,
             "updated_since": OpenApiTypes.STR}
    return [OpenApiParameter(name, types[name], OpenApiParameter.QUERY, description=str(fields[name].help_text))
            for name in names]


def filtered(queryset, endpoint: Endpoint, params) -> typing.Any:
    wanted = RecordFilter(data=params)
    wanted.is_valid(raise_exception=True)
    values = wanted.validated_data
    if "patient" in values:
        if endpoint.key == "patient":
            queryset = queryset.filter(study_id=values["patient"])
        elif endpoint.has_patient:
            queryset = queryset.filter(patient__study_id=values["patient"])
    if endpoint.date_field:
        field = endpoint.model._meta.get_field(endpoint.date_field)
        lookup = f"{endpoint.date_field}__date" if field.get_internal_type() == "DateTimeField" \
            else endpoint.date_field
        if "date_from" in values:
            queryset = queryset.filter(**{f"{lookup}__gte": values["date_from"]})
        if "date_to" in values:
            queryset = queryset.filter(**{f"{lookup}__lte": values["date_to"]})
    if "updated_since" in values:
        queryset = queryset.filter(modified_at__gte=values["updated_since"])
    return queryset


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([permissions.AllowAny])
def not_found(request):
    raise exceptions.NotFound()


def if_match_version(request) -> int:
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired()
    found = ETAG.match(header)
    if found is None:
        raise exceptions.ValidationError({"If-Match": [_("Give the record's ETag, e.g. \"3\".")]})
    return int(found.group(1))


def with_etag(response: Response, record) -> Response:
    response["ETag"] = f'"{record.version}"'
    return response


def stale_response(version: int, current: int) -> Response:
    return Response({"detail": str(_("The record was changed since the version you sent: nothing was saved. "
                                      "Read it again, then send your change with its new ETag.")),
                     "version": version, "current_version": current},
                    status=status.HTTP_412_PRECONDITION_FAILED)


class RecordViewSet(viewsets.GenericViewSet):
    """Reads of one record type (the class built per declaration by `viewset_for` adds its writes)."""

    endpoint: Endpoint
    pagination_class = RecordCursor
    permission_classes = [Capability]

    @property
    def read_capability(self) -> str:
        return self.endpoint.read_capability

    @property
    def write_capability(self) -> str:
        return self.endpoint.write_capability

    def allowed_methods_lower(self) -> set[str]:
        return {method.lower() for method in self.allowed_methods}

    def get_serializer_class(self):
        return record_serializer(self.endpoint)

    def base_queryset(self):
        return self.endpoint.model._default_manager.select_related(*select_related(self.endpoint)).order_by("id")

    def get_queryset(self):
        if self.action == "list":
            return filtered(self.base_queryset(), self.endpoint, self.request.query_params)
        return self.base_queryset()

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        record = self.get_object()
        return with_etag(Response(self.get_serializer(record).data), record)

    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        record = self.get_object()
        return Response(HistoryRowSerializer(history_rows(record), many=True).data)

    # ------------------------------------------------------------------ what the writes share

    def _saved(self, record, status_code: int) -> Response:
        fresh = self.base_queryset().get(pk=record.pk)
        return with_etag(Response(record_serializer(self.endpoint)(fresh).data, status=status_code), fresh)

    def _write(self, call, values_cls, version: int | None = None):
        try:
            record = call()
        except StaleRecord as stale:
            return stale_response(version, stale.changes.current_version)
        except RecordLocked as locked:
            return Response({"detail": locked.messages[0]}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return problems_response(service_problems(error, leaf_paths(values_cls)))
        return record


class RecordCreate:
    """POST: a new record through the declaration's `create` service."""

    def create(self, request):
        declaration = self.endpoint.declaration
        values_cls = create_values(self.endpoint)
        incoming = create_serializer(self.endpoint)(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        patient = data.pop("patient", None)
        values = build(values_cls, data)
        outcome = self._write(lambda: declaration.create(patient=patient, values=values, user=request.user),
                              values_cls)
        if isinstance(outcome, Response):
            return outcome
        return self._saved(outcome, status.HTTP_201_CREATED)


class RecordUpdate:
    """PUT: the record's values as the caller saw them (If-Match), with a reason, through `update`."""

    def update(self, request, pk=None):
        declaration = self.endpoint.declaration
        values_cls = update_values(self.endpoint)
        record = self.get_object()
        version = if_match_version(request)
        incoming = update_serializer(self.endpoint)(data=request.data)
        incoming.is_valid(raise_exception=True)
        if version != record.version:
            return stale_response(version, record.version)
        data = dict(incoming.validated_data)
        reason = data.pop("reason")
        values = build(values_cls, data)
        outcome = self._write(lambda: declaration.update(record=record, values=values, user=request.user,
                                                         reason=reason, version=version), values_cls, version)
        if isinstance(outcome, Response):
            return outcome
        return self._saved(outcome, status.HTTP_200_OK)


# ---------------------------------------------------------------------- input serializers per declaration


def _values_of(service, fallback):
    hint = typing.get_type_hints(service).get("values") if service else None
    return hint or fallback


def create_values(endpoint: Endpoint):
    return _values_of(endpoint.declaration.create, endpoint.declaration.input)


def update_values(endpoint: Endpoint):
    return _values_of(endpoint.declaration.update, endpoint.declaration.input)


def create_serializer(endpoint: Endpoint):
    extra = ()
    if endpoint.has_patient:
        extra = (("patient", serializers.SlugRelatedField(
            slug_field="study_id", queryset=subject_model()._default_manager.all(),
            help_text="The patient's study id (ITP-001).")),)
    return input_serializer(create_values(endpoint), endpoint.model, component_name(endpoint, "Create"), extra)


def update_serializer(endpoint: Endpoint):
    extra = (("reason", serializers.CharField(max_length=250, help_text="Why the saved record is changed.")),)
    return input_serializer(update_values(endpoint), endpoint.model, component_name(endpoint, "Update"), extra)


# ---------------------------------------------------------------------- the schema of what each answers

PROBLEMS = inline_serializer("Problems", fields={
    "field": serializers.ListField(child=serializers.CharField(), required=False,
                                   help_text="Each problem under the name (dotted for nested values) of its field.")})
DETAIL = inline_serializer("Detail", fields={"detail": serializers.CharField()})
STALE = inline_serializer("Stale", fields={"detail": serializers.CharField(), "version": serializers.IntegerField(),
                                          "current_version": serializers.IntegerField()})
ETAG_HEADER = OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201],
                               description="The record's version, to send back in If-Match when updating it.")
IF_MATCH = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                            description="The ETag (version) of the record as you read it. Missing: 428; "
                                        "another version: 412 and nothing changes.")
COMMON = {401: OpenApiResponse(DETAIL, "Not signed in, or a wrong, expired or revoked token."),
          403: OpenApiResponse(DETAIL, "Your role may not do this."),
          429: OpenApiResponse(DETAIL, "Too many requests; wait and try again.")}
NOT_FOUND = {404: OpenApiResponse(DETAIL, "No such record.")}


def _schema(endpoint: Endpoint) -> dict:
    record = record_serializer(endpoint)
    label, plural = str(endpoint.declaration.label), str(endpoint.declaration.label_plural)
    tags = [plural]
    views = {
        "list": extend_schema(summary=f"{plural}", tags=tags, parameters=filter_parameters(endpoint),
                              responses={200: record(many=True), 400: PROBLEMS, **COMMON, **NOT_FOUND}),
        "retrieve": extend_schema(summary=f"One {label.lower()}", tags=tags, parameters=[ETAG_HEADER],
                                  responses={200: record, **COMMON, **NOT_FOUND}),
        "history": extend_schema(summary=f"History of one {label.lower()}", tags=tags,
                                 responses={200: HistoryRowSerializer(many=True), **COMMON, **NOT_FOUND}),
    }
    if endpoint.declaration.create:
        views["create"] = extend_schema(
            summary=f"Record a {label.lower()}", tags=tags, request=create_serializer(endpoint),
            parameters=[ETAG_HEADER],
            responses={201: record, 400: PROBLEMS, 409: OpenApiResponse(DETAIL, "Locked by a signature."), **COMMON})
    if endpoint.declaration.update:
        views["update"] = extend_schema(
            summary=f"Correct a {label.lower()}", tags=tags, request=update_serializer(endpoint),
            parameters=[IF_MATCH, ETAG_HEADER],
            responses={200: record, 400: PROBLEMS, 409: OpenApiResponse(DETAIL, "Locked by a signature."),
                       412: OpenApiResponse(STALE, "Changed since the version in If-Match: nothing was saved."),
                       428: OpenApiResponse(DETAIL, "If-Match is missing."), **COMMON, **NOT_FOUND})
    return views


def viewset_for(endpoint: Endpoint) -> type[RecordViewSet]:
    """The viewset of one declared type: reads always; create and update when the declaration has the service."""
    bases = (*([RecordCreate] if endpoint.declaration.create else []),
             *([RecordUpdate] if endpoint.declaration.update else []), RecordViewSet)
    attrs = {"endpoint": endpoint, "__doc__": f"{endpoint.declaration.label_plural}."}
    cls = type(component_name(endpoint, "ViewSet"), bases, attrs)
    return extend_schema_view(**_schema(endpoint))(cls)
