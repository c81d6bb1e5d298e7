"""The project's property-based API run (``core/tests/test_api_fuzz.py``), on this API only:
no query string makes ``/api/indicators/`` answer 5xx."""

from __future__ import annotations

from typing import Any

import pytest

from saqshy.core.tests.test_api_fuzz import _run_operation, api_schema, token

__all__ = ["api_schema", "token"]


@pytest.mark.timeout(600)
def test_indicators_api_never_fails(api_schema: Any, token: str) -> None:
    operations = [
        result.ok()
        for result in api_schema.get_all_operations()
        if result.ok().path == "/api/indicators/"
    ]
    assert operations
    for operation in operations:
        _run_operation(operation, token)
