"""Property-based run over the whole OpenAPI document: no input makes the API answer 5xx.

Schemathesis generates requests for every operation of ``/api/schema/`` (valid and invalid
bodies, parameters and path ids, state-changing operations included) and sends them through
the WSGI application in-process with a scoped persona's token. The run is bounded: a few
examples per operation, the explicit and generate phases only (no shrinking of failures,
which can take minutes), no deadline per example (CI machines are slow) and pytest-timeout as
the outer bound. Every failing operation is reported, not only the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error

from saqshy.core.testing.personas import make_personas

MAX_EXAMPLES = 8


@pytest.fixture
def api_schema(db: Any) -> Iterator[Any]:
    """The schema, served by the WSGI application inside the test's transaction.

    Like Django's test client, the requests must not close the database connection when they
    finish (that would end the test's transaction on PostgreSQL).
    """
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: Any) -> str:
    personas = make_personas()
    _, key = AuthToken.objects.create(user=personas.planner_astana)
    return str(key)


def _run_operation(operation: Any, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Token {token}"})
        case.validate_response(response, checks=[not_a_server_error])

    run()


@pytest.mark.timeout(900)
def test_no_server_errors(api_schema: Any, token: str) -> None:
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        try:
            _run_operation(operation, token)
        except Exception as error:
            failures.append(f"{operation.label}: {str(error)[:600]}")
    assert not failures, "\n\n".join(failures)
