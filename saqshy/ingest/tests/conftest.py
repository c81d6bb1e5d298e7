"""Handlers registered by a test are taken away after it, so tests do not see each other's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from saqshy.ingest import handlers


@pytest.fixture
def registry() -> Iterator[None]:
    """Keep the handler registry as it was before the test."""
    events = {kind: list(fns) for kind, fns in handlers._events.items()}
    readings = list(handlers._readings)
    yield
    handlers._events.clear()
    handlers._events.update(events)
    handlers._readings[:] = readings
