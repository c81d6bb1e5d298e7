"""Simulated device streams for the demo: the contract between stream makers and the simulator.

A stream produces the MQTT messages its devices would send on a simulated clock; it knows
nothing about transport. ``manage.py simulate_devices`` advances the clock, asks every stream
for the messages due in ``(since, now]`` and publishes them through
``saqshy.ingest.transport.publisher_from_settings()``. Stream factories are listed in
``STREAMS`` as dotted paths so this module imports no stream maker (they may need Django).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message to publish: its MQTT topic and JSON payload (``id``, ``time``, ...)."""

    topic: str
    payload: dict[str, Any] = field(hash=False)


class Stream(Protocol):
    """Messages of some devices on a simulated clock."""

    def due(self, now: dt.datetime, since: dt.datetime) -> Iterable[Outgoing]:
        """The messages whose simulated time falls in ``(since, now]``, in time order."""
        ...


StreamFactory = Callable[[Any, int], list[Stream]]
"""``factory(region, seed) -> list[Stream]``; ``region`` is an ``accounts.Region``."""

STREAMS: list[str] = [
    "saqshy.demo.alarm_streams.make_streams",
    "saqshy.demo.lifeline_streams.make_streams",
]
"""Dotted paths of the stream factories ``simulate_devices`` runs."""


def load_factory(path: str) -> StreamFactory:
    """The factory named by a dotted path from ``STREAMS``."""
    module_name, _, name = path.rpartition(".")
    factory: StreamFactory = getattr(import_module(module_name), name)
    return factory
