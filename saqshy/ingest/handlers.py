"""Who acts on what devices send: apps register handlers, the ingest consumer calls them.

The ingest path stores a batch first, then calls, per message kind, every handler registered
for it with the newly stored messages of that kind (never the same message twice: each is
claimed before its handlers run). Handlers take decisions through their own app's services
(audit, live push); they are registered in the app's ``AppConfig.ready`` so ``ingest``
imports no domain app.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Received:
    """A stored device event as a handler sees it."""

    row_id: int
    device_id: int
    serial: str
    kind: str
    message_id: str
    device_time: dt.datetime
    received_at: dt.datetime
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadingIn:
    """A stored telemetry value as a handler sees it."""

    device_id: int
    serial: str
    parameter: str
    at: dt.datetime
    value: float
    received_at: dt.datetime


EventHandler = Callable[..., None]
"""``handler(messages: Sequence[Received], *, acting_user) -> None``"""
ReadingHandler = Callable[..., None]
"""``handler(readings: Sequence[ReadingIn], *, acting_user) -> None``"""

_events: dict[str, list[EventHandler]] = defaultdict(list)
_readings: list[ReadingHandler] = []


def register(kind: str, handler: EventHandler) -> None:
    """Call ``handler`` with every newly stored device event of ``kind`` (``MessageKind``)."""
    if handler not in _events[kind]:
        _events[kind].append(handler)


def register_readings(handler: ReadingHandler) -> None:
    """Call ``handler`` with every batch of newly stored telemetry readings."""
    if handler not in _readings:
        _readings.append(handler)


def event_handlers(kind: str) -> Sequence[EventHandler]:
    return tuple(_events.get(kind, ()))


def reading_handlers() -> Sequence[ReadingHandler]:
    return tuple(_readings)
