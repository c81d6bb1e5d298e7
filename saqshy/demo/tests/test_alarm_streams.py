"""The demo's home-alarm streams: heartbeats at the right rate, deterministic and never twice;
night alarms, battery and tamper events; the false alarm answered through the call-back; and
the demo homes loaded from the bundle."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from saqshy.alarms.callback import FakeTransport
from saqshy.alarms.choices import AlarmOutcome, CallBackAnswer
from saqshy.alarms.models import (
    AlarmEvent,
    CallBack,
    CampaignTarget,
    Household,
    Installation,
)
from saqshy.alarms.tests.factories import household, installed
from saqshy.core.testing.personas import make_personas
from saqshy.demo import alarm_streams, loader
from saqshy.demo.alarm_streams import CallBackAnswers, Events, Heartbeats, day_events
from saqshy.demo.alarms import SILENT_SHARE, is_silent, load_homes, serial
from saqshy.demo.streams import STREAMS, load_factory
from saqshy.ingest import handlers
from saqshy.ingest.choices import DeviceStatus
from saqshy.ingest.handlers import Received
from saqshy.ingest.models import Device

SERIALS = [serial(n) for n in range(1, 1201)]
T0 = dt.datetime(2026, 12, 31, 12, 0, tzinfo=dt.UTC)


def _window(stream: Any, start: dt.datetime, minutes: float) -> list[Any]:
    return list(stream.due(start + dt.timedelta(minutes=minutes), start))


def test_every_device_beats_once_an_hour() -> None:
    beats = _window(Heartbeats(SERIALS, seed=1), T0, 60)
    senders = Counter(m.topic.split("/")[2] for m in beats)
    assert set(senders) == set(SERIALS)
    assert set(senders.values()) == {1}
    assert all(m.topic.endswith("/heartbeat") for m in beats)


def test_the_rate_is_even_over_the_hour() -> None:
    """1,200 devices an hour is 20 a minute: any ten minutes holds 200 (± 1 at the edges)."""
    stream = Heartbeats(SERIALS, seed=1)
    for start in (T0, T0 + dt.timedelta(minutes=7, seconds=13)):
        assert abs(len(_window(stream, start, 10)) - 200) <= 1


def test_split_windows_give_the_same_messages_and_ids_are_stable() -> None:
    whole = _window(Heartbeats(SERIALS, seed=3), T0, 150)
    parts = [
        *_window(Heartbeats(SERIALS, seed=3), T0, 45.5),
        *_window(Heartbeats(SERIALS, seed=3), T0 + dt.timedelta(minutes=45.5), 104.5),
    ]
    assert [(m.topic, m.payload) for m in whole] == [(m.topic, m.payload) for m in parts]
    keys = [(m.topic, m.payload["id"]) for m in whole]
    assert len(keys) == len(set(keys)) == 3 * len(SERIALS) - len(SERIALS) // 2
    first = whole[0].payload
    assert dt.datetime.fromisoformat(first["time"]).utcoffset() is not None
    assert 40 <= first["battery"] <= 100


def test_a_night_has_alarms_at_different_homes_one_false() -> None:
    events = day_events(SERIALS, seed=5, day=dt.date(2026, 12, 31))
    alarms = [e for e in events if e.kind == "alarm"]
    assert 2 <= len(alarms) <= 4
    assert len({e.serial for e in events}) == len(events)
    assert sum(e.false_alarm for e in alarms) == 1
    for alarm in alarms:
        local = timezone.localtime(alarm.at).time()
        assert local >= dt.time(22) or local <= dt.time(4)
    kinds = Counter(e.kind for e in events)
    assert (kinds["battery_low"], kinds["tamper"]) == (2, 1)
    assert day_events(SERIALS, seed=5, day=dt.date(2026, 12, 31)) == events
    assert day_events(SERIALS, seed=5, day=dt.date(2027, 1, 1)) != events


def test_events_stream_yields_each_event_once_across_ticks() -> None:
    stream = Events(SERIALS, seed=5)
    start = timezone.make_aware(dt.datetime(2026, 12, 31, 6, 0))
    ticks = [start + dt.timedelta(minutes=13 * i) for i in range(0, 24 * 60 // 13 + 2)]
    sent = [m for a, b in itertools.pairwise(ticks) for m in stream.due(b, a)]
    ids = [(m.topic, m.payload["id"]) for m in sent]
    assert len(ids) == len(set(ids)) == 7


def test_about_half_a_percent_is_silent() -> None:
    silent = sum(is_silent(serial(n)) for n in range(1, 36_001))
    assert abs(silent - 36_000 * SILENT_SHARE) < 60


def test_the_contract_lists_the_factory() -> None:
    assert load_factory(STREAMS[0]) is alarm_streams.make_streams


@pytest.fixture
def fake_transport(settings: Any) -> Iterator[None]:
    settings.ALARM_CALLBACK_TRANSPORT = "saqshy.alarms.callback.FakeTransport"
    FakeTransport.reset()
    yield
    FakeTransport.reset()


def _deliver(message: Any) -> None:
    """Hand a stream message to the handlers as the ingest path would (acting as the system:
    the ingest path's own acting user is its business, tested there)."""
    _prefix, _app, device_serial, kind = message.topic.split("/")
    device = Device.objects.get(serial=device_serial)
    at = dt.datetime.fromisoformat(message.payload["time"])
    row = Received(
        row_id=0,
        device_id=device.pk,
        serial=device_serial,
        kind=kind,
        message_id=message.payload["id"],
        device_time=at,
        received_at=at,
        payload=message.payload,
    )
    for handler in handlers.event_handlers(kind):
        handler([row], acting_user=None)


@pytest.mark.django_db
def test_the_false_alarm_is_answered_through_the_call_back(
    fake_transport: None, django_capture_on_commit_callbacks: Any
) -> None:
    p = make_personas()
    homes = [installed(household(p.astana)) for _ in range(8)]
    serials = [i.device.serial for i in homes]
    events = Events(serials, seed=2)
    answers = CallBackAnswers(events)
    night = dt.date(2026, 12, 31)
    [false_alarm] = [e for e in day_events(serials, 2, night) if e.false_alarm]
    before = false_alarm.at - dt.timedelta(minutes=1)
    after = false_alarm.at + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        for message in events.due(after, before):
            _deliver(message)
    assert list(answers.due(after, before)) == []
    callback = CallBack.objects.get(household__installations__device__serial=false_alarm.serial)
    assert callback.answer == ""
    answers.due(after + dt.timedelta(minutes=2), after)
    callback.refresh_from_db()
    assert (callback.answer, callback.answer_text) == (
        CallBackAnswer.FALSE_ALARM,
        "false alarm, cooking",
    )
    event = AlarmEvent.objects.get(device__serial=false_alarm.serial, kind="alarm")
    assert event.outcome == AlarmOutcome.FALSE_ALARM
    assert answers.pending == []


@pytest.mark.django_db
def test_a_small_demo_loads_homes_in_proportion_and_streams_skip_the_silent() -> None:
    loader.load_regions()
    loader.load_districts()
    result = load_homes("astana", total=400)
    assert (result.homes, result.skipped) == (400, False)
    assert Device.objects.filter(kind="fire_alarm").count() == 400
    assert Installation.objects.exclude(district=None).count() == 400
    assert Household.objects.filter(contact_phone__startswith="+7 700 000 ").count() == 400
    assert CampaignTarget.objects.aggregate(n=Sum("target"))["n"] == 400
    assert len(set(Installation.objects.values_list("district_id", flat=True))) >= 3
    silent = [d for d in Device.objects.all() if is_silent(d.serial)]
    cutoff = timezone.now() - dt.timedelta(hours=3)
    assert all(d.last_heartbeat is not None and d.last_heartbeat < cutoff for d in silent)
    assert Device.objects.filter(status=DeviceStatus.ONLINE).count() == 400

    assert load_homes("astana", total=400).skipped
    assert Device.objects.count() == 400

    region = Device.objects.first().region
    heartbeats, _events, _answers = alarm_streams.make_streams(region, 1)
    beats = _window(heartbeats, T0, 60)
    assert len(beats) == 400 - len(silent)
    assert not {m.topic.split("/")[2] for m in beats} & {d.serial for d in silent}
