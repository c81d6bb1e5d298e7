"""Shared fixtures of the alarms tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from saqshy.alarms.callback import FakeTransport


@pytest.fixture
def fake_transport(settings: Any) -> Iterator[type[FakeTransport]]:
    """Call-backs go to the in-memory transport, emptied before and after the test."""
    settings.ALARM_CALLBACK_TRANSPORT = "saqshy.alarms.callback.FakeTransport"
    FakeTransport.reset()
    yield FakeTransport
    FakeTransport.reset()
