"""The device simulator: plays the demo's device streams on a simulated clock.

``manage.py simulate_devices`` builds the streams of ``saqshy.demo.streams.STREAMS`` for a
region and runs them here: every step advances the simulated clock (``speed`` simulated
seconds per real second, like the New Year's Eve simulator, so started with the same
``--start`` and ``--speed`` both play the same night), asks each stream for the messages due
in ``(since, now]``, publishes them all and flushes once (one batch per step, whatever the
transport), then calls the optional ``after_tick(now)`` of each stream: a stream that must act
on what happened (record the call-back answer of a false alarm a few simulated minutes
later) does it there, never in ``due``.

The simulator knows no transport: it is handed an object with ``publish(topic, payload)``,
``flush()`` and ``close()`` (``saqshy.ingest.transport``). A stream or a publish that fails is
logged and the night goes on; a demo must survive a broker restart.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from saqshy.demo.streams import STREAMS, Stream, load_factory

log = logging.getLogger("saqshy.demo.devices")

REPORT_EVERY_S = 60.0
"""Real seconds between two summary lines of a long run (each step also logs one line)."""


class Publisher(Protocol):
    """What the simulator publishes through (``saqshy.ingest.transport`` implements it)."""

    def publish(self, topic: str, payload: dict[str, Any]) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


def make_streams(region: Any, seed: int, paths: Sequence[str] = tuple(STREAMS)) -> list[Stream]:
    """Every stream of the factories at ``paths`` (dotted), for ``region``.

    Each factory gets its own seed derived from ``seed`` and its position, so adding a factory
    does not change what the others send.
    """
    streams: list[Stream] = []
    for index, path in enumerate(paths):
        made = load_factory(path)(region, seed + index)
        log.info("%s: %d streams", path, len(made))
        streams.extend(made)
    return streams


def kind_of(topic: str) -> str:
    """The last topic level (``alarm``, ``heartbeat``, a telemetry parameter): for the counts."""
    return topic.rsplit("/", 1)[-1]


def parse_start(start: str, day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """``HH:MM`` on ``day`` in ``tz``: the simulated clock at the first step."""
    hours, minutes = (int(part) for part in start.split(":"))
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(f"not a time of day: {start}")
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=tz)


@dataclass
class DeviceStats:
    """What a run did: steps, messages published by last topic level, failures."""

    ticks: int = 0
    published: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    stream_errors: int = 0
    publish_errors: int = 0
    clock: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ticks": self.ticks,
            "published": self.published,
            "by_kind": dict(sorted(self.by_kind.items())),
            "stream_errors": self.stream_errors,
            "publish_errors": self.publish_errors,
            "clock": self.clock,
        }


class ExercisePublisher:
    """Passes every message on marked ``"exercise": true`` (``simulate_devices --exercise``):
    the alarms it carries are exercise alarms and open exercise incidents."""

    def __init__(self, inner: Publisher) -> None:
        self.inner = inner

    def publish(self, topic: str, payload: Mapping[str, Any]) -> None:
        self.inner.publish(topic, {**payload, "exercise": True})

    def flush(self) -> None:
        self.inner.flush()

    def close(self) -> None:
        self.inner.close()


class DeviceSimulator:
    """Runs ``streams`` from ``start`` at ``speed`` simulated seconds per real second."""

    def __init__(
        self,
        streams: Sequence[Stream],
        publisher: Publisher,
        *,
        start: dt.datetime,
        speed: float = 5.0,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs a time zone")
        self.streams = list(streams)
        self.publisher = publisher
        self.start = start
        self.speed = speed
        self.stats = DeviceStats(clock=start.isoformat())

    def _due(self, stream: Stream, now: dt.datetime, since: dt.datetime) -> Iterable[Any]:
        try:
            return list(stream.due(now, since))
        except Exception:
            self.stats.stream_errors += 1
            log.exception("stream %r failed at %s", stream, now.isoformat())
            return []

    def step(self, now: dt.datetime, since: dt.datetime) -> int:
        """Publish what every stream has due in ``(since, now]``, flush once; the count sent."""
        sent: Counter[str] = Counter()
        for stream in self.streams:
            for outgoing in self._due(stream, now, since):
                try:
                    self.publisher.publish(outgoing.topic, outgoing.payload)
                except Exception:
                    self.stats.publish_errors += 1
                    log.exception("publishing to %s failed", outgoing.topic)
                    continue
                sent[kind_of(outgoing.topic)] += 1
        try:
            self.publisher.flush()
        except Exception:
            self.stats.publish_errors += 1
            log.exception("flushing %d messages failed", sum(sent.values()))
        for stream in self.streams:
            after_tick = getattr(stream, "after_tick", None)
            if after_tick is None:
                continue
            try:
                after_tick(now)
            except Exception:
                self.stats.stream_errors += 1
                log.exception("after_tick of %r failed at %s", stream, now.isoformat())
        self.stats.ticks += 1
        self.stats.published += sum(sent.values())
        self.stats.by_kind.update(sent)
        self.stats.clock = now.isoformat()
        log.info(
            "%s +%d %s",
            now.strftime("%d.%m.%Y %H:%M:%S"),
            sum(sent.values()),
            " ".join(f"{kind}={count}" for kind, count in sorted(sent.items())) or "-",
        )
        return sum(sent.values())

    def run(
        self,
        *,
        ticks: int | None = None,
        duration: float | None = None,
        tick: float = 1.0,
        realtime: bool = True,
        report: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> DeviceStats:
        """Step every ``tick`` real seconds until ``ticks``/``duration`` (or forever).

        With ``realtime=False`` the clock advances ``tick * speed`` per step without waiting
        (tests); otherwise it follows the real time elapsed, so a slow step is caught up by
        the next one rather than stretching the night.
        """
        began = time.monotonic()
        since = self.start
        next_report = began + REPORT_EVERY_S
        n = 0
        try:
            while (ticks is None or n < ticks) and (
                duration is None or time.monotonic() - began < duration
            ):
                n += 1
                if realtime:
                    elapsed = time.monotonic() - began
                    now = self.start + dt.timedelta(seconds=elapsed * self.speed)
                else:
                    now = since + dt.timedelta(seconds=tick * self.speed)
                self.step(now, since)
                since = now
                if report and time.monotonic() >= next_report:
                    report(f"devices: {self.stats.as_dict()}")
                    next_report += REPORT_EVERY_S
                if realtime:
                    sleep(max(0.0, began + n * tick - time.monotonic()))
        finally:
            self.publisher.close()
        return self.stats
