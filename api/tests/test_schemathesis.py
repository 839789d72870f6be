"""The live OpenAPI schema against the running app: every operation, as both roles that write (nurse, physician)
and one that only reads (monitor); no server error and no response outside the schema.

Bounded in time: per role one transaction, and per operation SCHEMATHESIS_EXAMPLES valid and as many invalid
requests (default 3 + 3; raise it for a deeper run), path ids half the time those of existing records. The
figures (operations, examples, failures) are printed with the test summary."""

import json
import os
from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.catalogue import ENDPOINTS
from api.tokens import token_create
from casebook.registry import subject_model

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
FIGURES: dict[str, Counter] = {}


def generated_schema() -> dict:
    """What /api/v1/schema/ serves (test_the_served_schema_is_the_one_tested proves it)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


@contextmanager
def in_test_transaction():
    """The app is called in-process, inside the test's transaction: like Django's test client, keep the
    connection open across requests (the request signals would close it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def served(api_as):
    response = api_as("monitor").get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_served_schema_is_the_one_tested(served):
    assert served == generated_schema()
    assert {path.split("/")[3] for path in served["paths"]} >= {endpoint.path for endpoint in ENDPOINTS}


def existing_ids(path: str) -> list[int]:
    endpoint = next((endpoint for endpoint in ENDPOINTS if path.startswith(f"/api/v1/{endpoint.path}/")), None)
    if endpoint is None:
        return []
    return list(endpoint.model._default_manager.order_by("id").values_list("id", flat=True)[:5])


def cases(operation, mode: GenerationMode):
    strategy = operation.as_strategy(generation_mode=mode)
    ids = existing_ids(operation.path) if "{id}" in operation.path else []
    if ids:
        strategy = st.one_of(strategy, st.sampled_from(ids).flatmap(
            lambda pk: operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})))
    return strategy


def fuzz(role: str, user, served: dict) -> list[str]:
    """Every operation of the served schema, valid and invalid requests; the failures found (one per operation
    and mode, after Hypothesis shrinks it)."""
    schema = schemathesis.openapi.from_dict(served)
    schema.app = get_wsgi_application()
    study_ids = list(subject_model()._default_manager.values_list("study_id", flat=True))

    @schema.hook
    def map_body(context, body):
        """Most generated bodies name a patient that does not exist (400); name an enrolled one, so the values
        reach the services' own checks and writes."""
        if isinstance(body, dict) and isinstance(body.get("patient"), str) and study_ids:
            return {**body, "patient": study_ids[len(body["patient"]) % len(study_ids)]}
        return body

    headers = {"Authorization": f"Bearer {token_create(user=user, name='fuzz', days=30).secret}"}
    figures = FIGURES.setdefault(role, Counter())
    failures = []
    with in_test_transaction():
        for result in schema.get_all_operations():
            failures.extend(fuzz_operation(result.ok(), headers, figures, role))
    return failures


def fuzz_operation(operation, headers: dict, figures: Counter, role: str) -> list[str]:
    figures["operations"] += 1
    failures = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=cases(operation, mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
        def run(case):
            figures["examples"] += 1
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            figures[response.status_code] += 1

        try:
            run()
        except BaseException as failure:  # noqa: BLE001 (a check's FailureGroup is a BaseExceptionGroup)
            if isinstance(failure, KeyboardInterrupt):
                raise
            figures["failures"] += 1
            failures.append(f"{role} {operation.label} ({mode.value}): {failure}")
    return failures


def figures_lines() -> list[str]:
    """Printed after the run by api/tests/conftest.py's terminal summary."""
    lines = []
    for role, counts in FIGURES.items():
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(counts.items(), key=str) if isinstance(code, int))
        lines.append(f"schemathesis as {role}: {counts['operations']} operations, {counts['examples']} examples, "
                     f"{counts['failures']} failures (responses {statuses})")
    return lines


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["nurse", "physician", "monitor"])
def test_every_operation_conforms_to_the_schema(role, users, full_study, served):
    failures = fuzz(role, users[role], served)
    assert failures == [], "\n\n".join(failures)
