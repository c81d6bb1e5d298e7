"""The ingest parser: every wire-format refusal is typed and names its field; nothing raises."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.ingest import (
    Incoming,
    Rejected,
    parse,
    parse_message_id,
    parse_time,
    parse_topic,
    topic_for,
)

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
GOOD = {"id": "m-1", "time": "2026-12-03T18:00:00+06:00"}


def test_an_alarm_parses_with_its_time_in_utc() -> None:
    message = parse("saqshy/alarms/FA-1/alarm", json.dumps({**GOOD, "battery": 17}), NOW)
    assert isinstance(message, Incoming)
    assert (message.stream, message.serial, message.kind) == ("alarms", "FA-1", "alarm")
    assert message.device_time == dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
    assert message.payload["battery"] == 17
    assert message.value is None


def test_telemetry_keeps_parameter_and_value() -> None:
    message = parse("saqshy/telemetry/BH-7/supply_temp", json.dumps({**GOOD, "value": 71.5}), NOW)
    assert isinstance(message, Incoming)
    assert (message.kind, message.parameter, message.value) == ("reading", "supply_temp", 71.5)


def test_integer_ids_are_text() -> None:
    assert parse_message_id(42) == "42"
    assert parse_message_id(10**70) is None
    assert parse_message_id(True) is None
    assert parse_message_id("x" * 65) is None
    assert parse_message_id("a\x00b") is None


def test_topic_refusals() -> None:
    for topic in (
        "saqshy/alarms/FA-1",
        "saqshy/alarms/FA-1/fire",
        "other/alarms/FA-1/alarm",
        "saqshy/alarms//alarm",
        "saqshy/alarms/FA\x001/alarm",
        "saqshy/telemetry/BH-7/Supply Temp",
        "saqshy/alarms/" + "x" * 65 + "/alarm",
    ):
        result = parse_topic(topic)
        assert isinstance(result, Rejected) and result.field == "topic", topic
    assert topic_for("alarms", "FA-1", "alarm") == "saqshy/alarms/FA-1/alarm"


def test_body_refusals_name_the_field() -> None:
    cases = {
        b"not json": "body",
        b"[1, 2]": "body",
        json.dumps({**GOOD, "note": "a\x00b"}).encode(): "body",
        b'{"id": "1", "time": "2026-12-03T12:00:00Z", "x": NaN}': "body",
        json.dumps({"time": GOOD["time"]}).encode(): "id",
        json.dumps({**GOOD, "time": "2026-12-03T12:00:00"}).encode(): "time",
        json.dumps({**GOOD, "time": "1970-01-01T00:00:00+00:00"}).encode(): "time",
        json.dumps({**GOOD, "time": "yesterday"}).encode(): "time",
        b"\xff\xfe": "body",
        b'{"id": "1", "time": "2026-12-03T12:00:00Z", "value": 1e400}': "body",
        b"{" * 100_000: "body",
    }
    for body, field in cases.items():
        result = parse("saqshy/alarms/FA-1/alarm", body, NOW)
        assert isinstance(result, Rejected) and result.field == field, (body[:40], result)
    for value in ("71", None, True, [1]):
        body = json.dumps({**GOOD, "value": value})
        result = parse("saqshy/telemetry/BH-7/supply_temp", body, NOW)
        assert isinstance(result, Rejected) and result.field == "value", value


def test_times_outside_the_years_are_refused() -> None:
    assert parse_time("2026-12-03T12:00:00Z") == dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)
    assert parse_time("9999-12-31T23:59:59-23:59") is None
    assert parse_time("0001-01-01T00:00:00+23:59") is None


@settings(deadline=None)
@given(topic=st.text(max_size=80), body=st.binary(max_size=300))
def test_anything_parses_or_is_refused(topic: str, body: bytes) -> None:
    result = parse(topic, body, NOW)
    assert isinstance(result, Incoming | Rejected)


@settings(deadline=None)
@given(
    ident=st.one_of(st.text(max_size=80), st.integers(), st.none(), st.booleans(), st.floats()),
    time=st.one_of(st.text(max_size=50), st.datetimes(timezones=st.timezones()).map(str)),
    value=st.one_of(st.floats(allow_nan=True), st.integers(), st.text(max_size=5), st.none()),
    stream=st.sampled_from(["saqshy/alarms/FA-1/alarm", "saqshy/telemetry/BH-7/pressure"]),
)
def test_fields_parse_or_are_refused(ident: object, time: str, value: object, stream: str) -> None:
    body = json.dumps({"id": ident, "time": time, "value": value})
    result = parse(stream, body, NOW)
    if isinstance(result, Incoming):
        assert 0 < len(result.message_id) <= 64 and "\x00" not in result.message_id
        assert result.device_time.tzinfo is not None
        assert 2000 <= result.device_time.year <= 2100
    else:
        assert result.field in ("body", "id", "time", "value")


def test_a_tracker_fix_keeps_its_position() -> None:
    message = parse("saqshy/positions/AVL-7/fix", json.dumps({**GOOD, "lat": 51.1, "lon": 71}), NOW)
    assert isinstance(message, Incoming)
    assert (message.stream, message.serial, message.kind) == ("positions", "AVL-7", "position")
    assert (message.payload["lat"], message.payload["lon"]) == (51.1, 71.0)
    assert isinstance(parse_topic("saqshy/positions/AVL-7/where"), Rejected)


@settings(deadline=None)
@given(
    lat=st.one_of(st.floats(allow_nan=False), st.integers(), st.text(max_size=5), st.none()),
    lon=st.one_of(st.floats(allow_nan=False), st.integers(), st.booleans(), st.none()),
)
def test_a_fix_is_a_position_on_earth_or_refused_naming_the_coordinate(
    lat: object, lon: object
) -> None:
    result = parse("saqshy/positions/AVL-7/fix", json.dumps({**GOOD, "lat": lat, "lon": lon}), NOW)
    if isinstance(result, Incoming):
        assert -90 <= result.payload["lat"] <= 90 and -180 <= result.payload["lon"] <= 180
        assert all(isinstance(result.payload[k], float) for k in ("lat", "lon"))
    else:
        assert result.field in ("body", "lat", "lon")
