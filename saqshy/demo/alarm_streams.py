"""What the demo's home fire alarms send on the simulator's clock (see ``demo/streams.py``).

- Heartbeats: every installed sensor of the region beats once per ``HEARTBEAT_PERIOD``
  (60 simulated minutes), the sensors spread evenly over the period, so 36,000 sensors send
  10 messages per simulated second. Message ids are ``hb-<unix seconds>``: the same device
  and time always give the same id, so a replayed window is stored once. The sensors
  ``saqshy.demo.alarms.is_silent`` picks (about 0.5 %, fixed by the demo data, whatever the
  simulator's seed) never beat: they fill the offline
  list and the visit tasks.
- Every simulated night (local time) ``NIGHT_ALARMS`` alarms at different homes between
  22:00 and 04:00; the second is a false alarm whose household answers the call-back "false
  alarm, cooking" ``ANSWER_DELAY`` later. Every day two ``battery_low`` and one ``tamper``.
  Which homes is drawn from the seed and the date.

The answer is not a device message: :class:`CallBackAnswers` is a stream that yields nothing
and, when its time comes, records the answer through ``alarms.services.record_answer`` (the
simulator runs inside Django). If the alarm has not reached its incident yet (the broker is
slow), it tries again on the next tick.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import logging
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from saqshy.demo.alarms import SEED, is_silent
from saqshy.demo.streams import Outgoing, Stream
from saqshy.ingest.choices import DeviceKind
from saqshy.ingest.models import Device

log = logging.getLogger("saqshy.demo")

HEARTBEAT_PERIOD = dt.timedelta(minutes=60)
NIGHT_ALARMS = ((22, 40), (0, 15), (1, 50), (3, 20))
"""Local (hour, minute) of each night's alarms; the one at ``FALSE_ALARM_INDEX`` is false."""
FALSE_ALARM_INDEX = 1
FALSE_ALARM_TEXT = "false alarm, cooking"
ANSWER_DELAY = dt.timedelta(seconds=90)
ANSWER_GIVE_UP = dt.timedelta(hours=2)
BATTERY_TIMES = ((10, 30), (16, 10))
TAMPER_TIMES = ((19, 45),)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def topic(serial: str, kind: str) -> str:
    return f"saqshy/alarms/{serial}/{kind}"


def _message(serial: str, kind: str, at: dt.datetime, prefix: str, **extra: Any) -> Outgoing:
    stamp = int((at - EPOCH).total_seconds())
    payload = {"id": f"{prefix}-{stamp}", "time": at.isoformat(), **extra}
    return Outgoing(topic(serial, kind), payload)


def _battery(serial: str) -> int:
    """A steady per-device battery level for heartbeats (40–100 %)."""
    return 40 + hashlib.sha256(serial.encode()).digest()[0] % 61


class Heartbeats:
    """Hourly heartbeats of ``serials``, spread evenly over the period."""

    def __init__(self, serials: Sequence[str], seed: int, period: dt.timedelta = HEARTBEAT_PERIOD):
        order = list(serials)
        random.Random(seed).shuffle(order)
        self.period = int(period.total_seconds())
        count = max(len(order), 1)
        self.offsets = [int(index * self.period) // count for index in range(len(order))]
        self.serials = order

    def due(self, now: dt.datetime, since: dt.datetime) -> Iterator[Outgoing]:
        start = (since - EPOCH).total_seconds()
        end = (now - EPOCH).total_seconds()
        if end <= start or not self.serials:
            return
        cycle = int(start // self.period)
        while cycle * self.period <= end:
            base = cycle * self.period
            low = bisect.bisect_right(self.offsets, start - base)
            high = bisect.bisect_right(self.offsets, end - base)
            for index in range(low, high):
                at = EPOCH + dt.timedelta(seconds=base + self.offsets[index])
                serial = self.serials[index]
                yield _message(serial, "heartbeat", at, "hb", battery=_battery(serial))
            cycle += 1


@dataclass(frozen=True)
class Scheduled:
    """One event message at a simulated time."""

    at: dt.datetime
    serial: str
    kind: str
    false_alarm: bool = False

    def outgoing(self) -> Outgoing:
        extra: dict[str, Any] = {"battery": 9} if self.kind == "battery_low" else {}
        return _message(self.serial, self.kind, self.at, self.kind[:2], **extra)


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """Local wall-clock time ``hour:minute`` of the night that starts on ``day``."""
    when = day + dt.timedelta(days=1) if hour < 12 else day
    return timezone.make_aware(dt.datetime.combine(when, dt.time(hour, minute)))


def day_events(serials: Sequence[str], seed: int, day: dt.date) -> list[Scheduled]:
    """The day's events: the alarms of the night starting that evening, battery and tamper
    messages during the day; each at a different home drawn from seed and date."""
    if not serials:
        return []
    rng = random.Random(f"{seed}:{day.isoformat()}")
    count = len(NIGHT_ALARMS) + len(BATTERY_TIMES) + len(TAMPER_TIMES)
    homes = rng.sample(list(serials), min(count, len(serials)))
    events: list[Scheduled] = []
    for index, (hour, minute) in enumerate(NIGHT_ALARMS):
        if index < len(homes):
            at = _local(day, hour, minute)
            events.append(Scheduled(at, homes[index], "alarm", index == FALSE_ALARM_INDEX))
    rest = homes[len(NIGHT_ALARMS) :]
    daytime = [*(("battery_low", t) for t in BATTERY_TIMES), *(("tamper", t) for t in TAMPER_TIMES)]
    for serial, (kind, (hour, minute)) in zip(rest, daytime, strict=False):
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        events.append(Scheduled(at, serial, kind))
    return sorted(events, key=lambda e: (e.at, e.serial))


class Events:
    """Night alarms, battery and tamper messages, day after simulated day."""

    def __init__(self, serials: Sequence[str], seed: int):
        self.serials = sorted(serials)
        self.seed = seed

    def scheduled(self, now: dt.datetime, since: dt.datetime) -> Iterator[Scheduled]:
        first = timezone.localdate(since) - dt.timedelta(days=1)
        last = timezone.localdate(now)
        day = first
        while day <= last:
            for event in day_events(self.serials, self.seed, day):
                if since < event.at <= now:
                    yield event
            day += dt.timedelta(days=1)

    def due(self, now: dt.datetime, since: dt.datetime) -> Iterator[Outgoing]:
        for event in self.scheduled(now, since):
            yield event.outgoing()


class CallBackAnswers:
    """Answers "false alarm, cooking" to the call-back of each night's false alarm."""

    def __init__(self, events: Events):
        self.events = events
        self.pending: list[Scheduled] = []

    def due(self, now: dt.datetime, since: dt.datetime) -> Iterable[Outgoing]:
        start = since - ANSWER_DELAY
        self.pending.extend(
            e for e in self.events.scheduled(now - ANSWER_DELAY, start) if e.false_alarm
        )
        self.pending = [e for e in self.pending if not self._answer(e, now)]
        return ()

    def _answer(self, event: Scheduled, now: dt.datetime) -> bool:
        """Record the answer; True when done or given up, False to try again next tick."""
        from saqshy.alarms import services
        from saqshy.alarms.choices import CallBackAnswer, CallBackStatus
        from saqshy.alarms.models import AlarmEvent, CallBack

        message_id = event.outgoing().payload["id"]
        alarm = (
            AlarmEvent.objects.filter(device__serial=event.serial, message_id=message_id)
            .exclude(incident=None)
            .first()
        )
        callback = (
            CallBack.objects.filter(incident=alarm.incident, status=CallBackStatus.SENT)
            .order_by("pk")
            .first()
            if alarm is not None
            else None
        )
        if callback is None:
            if now - event.at > ANSWER_GIVE_UP:
                log.warning("demo: no call-back to answer for %s %s", event.serial, message_id)
                return True
            return False
        services.record_answer(
            acting_user=None,
            callback=callback,
            answer=CallBackAnswer.FALSE_ALARM,
            text=FALSE_ALARM_TEXT,
        )
        return True


def installed_serials(region: Any) -> list[str]:
    """Serials of the region's home fire alarms, in order."""
    return list(
        Device.objects.filter(region=region, kind=DeviceKind.FIRE_ALARM)
        .order_by("serial")
        .values_list("serial", flat=True)
    )


def make_streams(region: Any, seed: int = SEED) -> list[Stream]:
    """The streams of ``region``'s home fire alarms (see the module docstring)."""
    serials = installed_serials(region)
    speaking = [s for s in serials if not is_silent(s)]
    events = Events(speaking, seed)
    return [Heartbeats(speaking, seed), events, CallBackAnswers(events)]
