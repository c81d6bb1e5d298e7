"""A worker is a loop around one testable step; work is claimed by compare-and-set.

Every long-running process (the MQTT ingest consumer, the device-health sweeper, the camera
worker) is built the same way: a ``step()`` function that does one bounded piece of work and
returns how many things it did, and :func:`run` that calls it until told to stop, sleeping
only when a step found nothing. Tests call ``step()`` directly; nothing in the loop needs a
test of its own beyond the one here.

Several copies of a worker may run at once (on PostgreSQL, one per machine or per core). They
never take the same row twice because a row is taken with :func:`claim`: one ``UPDATE … WHERE
<field> = <what it was>`` whose row count says whether this worker won.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import close_old_connections
from django.db.models import Model, QuerySet

from saqshy.core import health
from saqshy.core.health import Check, Heartbeat

log = logging.getLogger(__name__)


def worker_name(prefix: str) -> str:
    """A name unique to this process, stored in claimed rows (``ingest@host:1234``)."""
    return f"{prefix}@{socket.gethostname()}:{os.getpid()}"


def claim(queryset: QuerySet[Any], *, field: str, expected: Any, value: Any, **also: Any) -> int:
    """Set ``field`` to ``value`` on the rows of ``queryset`` where it still is ``expected``.

    Returns the number of rows this caller took; a row another worker changed first is left
    alone. ``also`` are further columns written in the same UPDATE (``claimed_at=now``).
    """
    return int(queryset.filter(**{field: expected}).update(**{field: value}, **also))


def claim_one(model: type[Model], pk: Any, *, field: str, expected: Any, value: Any) -> bool:
    """:func:`claim` for one row by primary key: True when this caller won it."""
    return (
        claim(model._default_manager.filter(pk=pk), field=field, expected=expected, value=value)
        == 1
    )


class Stop:
    """A stop flag that SIGTERM/SIGINT (in the main thread) or a test can raise."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self, *_args: Any) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)

    def on_signals(self, signals: Iterable[int] = (signal.SIGTERM, signal.SIGINT)) -> Stop:
        if threading.current_thread() is threading.main_thread():
            for number in signals:
                signal.signal(number, self.set)
        return self


def run(
    step: Callable[[], int],
    *,
    name: str,
    idle_seconds: float = 1.0,
    error_seconds: float = 5.0,
    stop: Stop | None = None,
    max_steps: int | None = None,
    health_port: int | None = None,
    ready: Mapping[str, Check] | None = None,
) -> int:
    """Call ``step`` until ``stop`` is set (or ``max_steps`` steps); returns the work done.

    A step that did nothing is followed by ``idle_seconds`` of sleep; a step that raised is
    logged and followed by ``error_seconds`` (the database or broker may be restarting), and
    the loop goes on: a worker outlives the services it depends on.

    With ``health_port`` the process answers ``/healthz`` (alive while the loop turns) and
    ``/readyz`` (also: the database answers, and each of ``ready``) there.
    """
    stop = stop or Stop()
    heartbeat = Heartbeat(stale_seconds=max(120.0, 4 * (idle_seconds + error_seconds)))
    if health_port:
        health.serve(
            health_port,
            process=name,
            alive={"loop": heartbeat.check},
            ready={"database": health.database, **(ready or {})},
        )
    done = 0
    steps = 0
    while not stop.is_set() and (max_steps is None or steps < max_steps):
        steps += 1
        heartbeat.beat()
        close_old_connections()
        try:
            did = step()
        except Exception:
            log.exception("%s: step failed; retrying in %.0f s", name, error_seconds)
            stop.wait(error_seconds)
            continue
        done += did
        if not did:
            stop.wait(idle_seconds)
    log.info("%s: stopped after %d steps, %d items", name, steps, done)
    return done


def sleep_until(deadline: float, stop: Stop) -> None:
    """Wait until the monotonic ``deadline`` or until stopped."""
    remaining = deadline - time.monotonic()
    if remaining > 0:
        stop.wait(remaining)
