"""The device simulator: every due message published once, one flush per step, hooks after."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from saqshy.demo.devices import DeviceSimulator, kind_of, parse_start
from saqshy.demo.streams import Outgoing

UTC = dt.UTC
START = dt.datetime(2026, 12, 31, 22, 30, tzinfo=UTC)


class Recorder:
    """Records publishes and marks each flush (a batch boundary)."""

    def __init__(self) -> None:
        self.batches: list[list[tuple[str, dict[str, Any]]]] = [[]]
        self.closed = False

    def publish(self, topic: str, payload: dict[str, Any]) -> None:
        self.batches[-1].append((topic, payload))

    def flush(self) -> None:
        self.batches.append([])

    def close(self) -> None:
        self.closed = True

    @property
    def sent(self) -> list[tuple[str, dict[str, Any]]]:
        return [message for batch in self.batches for message in batch]


class Heartbeats:
    """``devices`` devices sending a heartbeat every ``every`` simulated seconds."""

    def __init__(self, devices: int, every: float) -> None:
        self.devices = devices
        self.every = every

    def due(self, now: dt.datetime, since: dt.datetime) -> Iterable[Outgoing]:
        k = int((since - START).total_seconds() // self.every) + 1
        while START + dt.timedelta(seconds=k * self.every) <= now:
            at = START + dt.timedelta(seconds=k * self.every)
            for device in range(self.devices):
                serial = f"FA-{device:05d}"
                yield Outgoing(
                    f"saqshy/alarms/{serial}/heartbeat",
                    {"id": f"{serial}-{k}", "time": at.isoformat()},
                )
            k += 1


class CallBack:
    """One alarm at 22:35, and an answer recorded in ``after_tick`` three minutes later."""

    def __init__(self) -> None:
        self.hooks: list[dt.datetime] = []
        self.answered: dt.datetime | None = None

    def due(self, now: dt.datetime, since: dt.datetime) -> Iterable[Outgoing]:
        at = START + dt.timedelta(minutes=5)
        if since < at <= now:
            yield Outgoing("saqshy/alarms/FA-99999/alarm", {"id": "a1", "time": at.isoformat()})

    def after_tick(self, now: dt.datetime) -> None:
        self.hooks.append(now)
        if self.answered is None and now >= START + dt.timedelta(minutes=8):
            self.answered = now


class Broken:
    def due(self, now: dt.datetime, since: dt.datetime) -> Iterable[Outgoing]:
        raise RuntimeError("a stream bug")


def test_a_fast_run_publishes_each_due_message_once_in_one_batch_per_step() -> None:
    recorder = Recorder()
    call_back = CallBack()
    simulator = DeviceSimulator(
        [Heartbeats(devices=30, every=60.0), call_back, Broken()],
        recorder,
        start=START,
        speed=60.0,
    )
    stats = simulator.run(ticks=10, tick=1.0, realtime=False)

    # Ten steps of one simulated minute: ten heartbeats per device, each id once.
    ids = [payload["id"] for topic, payload in recorder.sent if topic.endswith("/heartbeat")]
    assert len(ids) == 300
    assert len(set(ids)) == 300
    # One flush per step, each batch holding that minute's 30 heartbeats (and the alarm).
    assert len(recorder.batches) == 11
    assert [len(batch) for batch in recorder.batches[:10]] == [30] * 4 + [31] + [30] * 5
    assert recorder.closed
    assert stats.ticks == 10
    assert stats.published == 301
    assert stats.by_kind == {"heartbeat": 300, "alarm": 1}
    # The broken stream is counted each step and does not stop the night.
    assert stats.stream_errors == 10
    # The hook sees every step's clock; the answer comes three simulated minutes after.
    assert call_back.hooks == [START + dt.timedelta(minutes=m) for m in range(1, 11)]
    assert call_back.answered == START + dt.timedelta(minutes=8)
    assert stats.clock == (START + dt.timedelta(minutes=10)).isoformat()


def test_a_failing_publish_is_counted_and_the_rest_still_go() -> None:
    class Flaky(Recorder):
        def publish(self, topic: str, payload: dict[str, Any]) -> None:
            if payload["id"].endswith("-1") and topic.startswith("saqshy/alarms/FA-00000/"):
                raise ConnectionError("broker gone")
            super().publish(topic, payload)

    flaky = Flaky()
    stats = DeviceSimulator(
        [Heartbeats(devices=3, every=60.0)], flaky, start=START, speed=60.0
    ).run(ticks=2, tick=1.0, realtime=False)
    assert stats.publish_errors == 1
    assert stats.published == 5
    assert len(flaky.sent) == 5


def test_the_start_is_a_time_of_day_on_the_simulated_date() -> None:
    assert parse_start("22:30", dt.date(2026, 12, 31), UTC) == START
    with pytest.raises(ValueError, match="time of day"):
        parse_start("25:00", dt.date(2026, 12, 31), UTC)
    with pytest.raises(ValueError, match="time zone"):
        DeviceSimulator([], Recorder(), start=START.replace(tzinfo=None))
    assert kind_of("saqshy/telemetry/BH-1/supply_temperature") == "supply_temperature"


def fake_streams(region: Any, seed: int) -> list[Any]:
    """A stream factory for the command test: heartbeats of ``seed % 100`` devices a minute."""
    return [Heartbeats(devices=seed % 100, every=60.0), CallBack()]


@pytest.mark.django_db
def test_the_command_runs_the_factories_on_the_clock_and_publishes_through_the_transport(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    from saqshy.core.testing.geography import make_region

    settings.TIME_ZONE = "UTC"  # the fake streams' clock (START) is in UTC
    from saqshy.ingest import transport

    make_region("astana")
    fake = transport.FakePublisher()
    monkeypatch.setattr(transport, "publisher_from_settings", lambda: fake)
    out = io.StringIO()
    call_command(
        "simulate_devices",
        "--stream", "saqshy.demo.tests.test_devices.fake_streams",
        "--seed", "7", "--fast", "--ticks", "12", "--tick", "1", "--speed", "60",
        "--start", "22:30", "--date", "2026-12-31",
        stdout=out,
    )  # fmt: skip
    stats = json.loads(out.getvalue().split("devices: ", 1)[1])
    # Seven devices, one heartbeat a simulated minute for twelve minutes, and the alarm.
    assert stats["by_kind"] == {"alarm": 1, "heartbeat": 84}
    assert len(fake.sent) == 85
    assert fake.flushes == 12
    assert fake.closed
    assert stats["clock"].startswith("2026-12-31T22:42:00")


@pytest.mark.django_db
def test_with_exercise_every_message_says_so(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    from saqshy.core.testing.geography import make_region

    settings.TIME_ZONE = "UTC"
    from saqshy.ingest import transport

    make_region("astana")
    fake = transport.FakePublisher()
    monkeypatch.setattr(transport, "publisher_from_settings", lambda: fake)
    call_command(
        "simulate_devices",
        "--stream", "saqshy.demo.tests.test_devices.fake_streams",
        "--seed", "7", "--fast", "--ticks", "2", "--tick", "1", "--speed", "60",
        "--start", "22:30", "--date", "2026-12-31", "--exercise",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert fake.sent and fake.closed
    assert all(payload["exercise"] is True for _topic, payload in fake.sent)


def test_the_simulators_api_client_marks_an_exercise(monkeypatch: pytest.MonkeyPatch) -> None:
    """``simulate_nye --exercise`` signs in with ``exercise=True``: every call has the header."""
    from saqshy.demo import api_client

    seen: list[Any] = []

    class Answer(io.BytesIO):
        status = 200

    def urlopen(request: Any, timeout: float) -> Answer:
        seen.append(request)
        return Answer(b'{"token": "t"}')

    monkeypatch.setattr(api_client.urllib.request, "urlopen", urlopen)
    drill = api_client.sign_in("http://server", "dispatch", "pw", exercise=True)
    drill.call("POST", "/api/incidents/", {"type": "fire"})
    real = api_client.sign_in("http://server", "dispatch", "pw")
    real.call("POST", "/api/incidents/", {"type": "fire"})
    marked = [r.get_header("X-saqshy-exercise") for r in seen]
    assert marked == [None, "1", None, None]


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_region() -> None:
    with pytest.raises(CommandError, match="no region"):
        call_command("simulate_devices", "--region", "atlantis", "--fast", "--ticks", "1")


@pytest.mark.django_db
def test_the_listed_factories_load_and_run_on_a_region(monkeypatch: pytest.MonkeyPatch) -> None:
    from saqshy.core.testing.geography import make_region
    from saqshy.ingest import transport

    make_region("astana")
    fake = transport.FakePublisher()
    monkeypatch.setattr(transport, "publisher_from_settings", lambda: fake)
    out = io.StringIO()
    call_command("simulate_devices", "--fast", "--ticks", "3", "--start", "22:30", stdout=out)
    stats = json.loads(out.getvalue().split("devices: ", 1)[1])
    assert stats["ticks"] == 3
    assert stats["stream_errors"] == 0
    assert fake.flushes == 3
