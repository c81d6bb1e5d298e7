"""What a device sent, checked: topic and payload in, a typed message or a typed refusal out.

Pure (no Django): the MQTT consumer and the HTTPS endpoint both call :func:`parse`, so a
message means the same whichever way it came. Wire format (fixed for every stream):

- topic ``saqshy/alarms/{device}/{kind}`` with ``kind`` one of :data:`EVENT_KINDS`,
  ``saqshy/telemetry/{site}/{parameter}``, or ``saqshy/positions/{tracker}/fix`` (a unit's
  vehicle tracker);
- payload a JSON object ``{"id": "<unique per device>", "time": "<ISO 8601 with offset>"}``;
  telemetry adds ``"value": <number>``, a position fix ``"lat"`` and ``"lon"`` (degrees),
  alarms may add more keys (kept as they are).

A refusal names the field at fault. A refused message never becomes valid on redelivery, so
the consumer counts it, logs it and acknowledges it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PREFIX = "saqshy"
ALARMS = "alarms"
TELEMETRY = "telemetry"
POSITIONS = "positions"
STREAMS = (ALARMS, TELEMETRY, POSITIONS)
EVENT_KINDS = ("alarm", "heartbeat", "battery_low", "tamper", "test", "restored")
READING = "reading"
"""The stored kind of every telemetry message (its ``{parameter}`` is kept apart)."""
FIX = "fix"
"""The one ``{kind}`` of the positions stream."""
POSITION = "position"
"""The stored kind of a tracker's position fix."""

MAX_ID = 64
MAX_SERIAL = 64
MAX_PAYLOAD_BYTES = 16_384
_SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_PARAMETER = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Device clocks drift and reboot to 1970; a time outside these years is a broken clock.
MIN_YEAR = 2000
MAX_YEAR = 2100


@dataclass(frozen=True)
class Topic:
    """A topic taken apart: the stream, the device (or site) serial, the kind or parameter."""

    stream: str
    serial: str
    kind: str


@dataclass(frozen=True)
class Incoming:
    """One valid message. ``kind`` is the event kind, or ``reading`` for telemetry with the
    measured ``parameter`` and ``value``; ``device_time`` is aware and in UTC."""

    stream: str
    serial: str
    kind: str
    message_id: str
    device_time: dt.datetime
    received_at: dt.datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    parameter: str = ""
    value: float | None = None


@dataclass(frozen=True)
class Rejected:
    """Why a message was refused: ``field`` is ``topic``, ``body``, ``id``, ``time``,
    ``value``, ``lat`` or ``lon``; ``reason`` a short English sentence for logs and the
    HTTPS answer."""

    field: str
    reason: str


def topic_for(stream: str, serial: str, kind: str) -> str:
    """The topic a device publishes on (``saqshy/alarms/D-1/alarm``)."""
    return f"{PREFIX}/{stream}/{serial}/{kind}"


def parse_topic(topic: str) -> Topic | Rejected:
    """Split ``topic`` into stream, serial and kind, or say what is wrong with it."""
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != PREFIX or parts[1] not in STREAMS:
        return Rejected(
            "topic", "not saqshy/alarms/{device}/{kind}, saqshy/telemetry/… or saqshy/positions/…"
        )
    _, stream, serial, kind = parts
    if not valid_serial(serial):
        return Rejected("topic", "the device id is empty, too long or has odd characters")
    if stream == ALARMS and kind not in EVENT_KINDS:
        return Rejected("topic", "unknown alarm kind")
    if stream == TELEMETRY and not _PARAMETER.fullmatch(kind):
        return Rejected("topic", "the parameter must be lower-case letters, digits and _")
    if stream == POSITIONS and kind != FIX:
        return Rejected("topic", "a tracker publishes on saqshy/positions/{tracker}/fix")
    return Topic(stream, serial, kind)


def valid_serial(serial: str) -> bool:
    return bool(_SERIAL.fullmatch(serial))


def _has_nul(value: Any) -> bool:
    """True when a NUL character hides anywhere in ``value`` (PostgreSQL refuses it in JSON)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _finite(value: Any) -> bool:
    """True when no number in ``value`` is NaN or infinite (JSON columns refuse them)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Mapping):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def decode_body(body: bytes | str) -> dict[str, Any] | Rejected:
    """The JSON object in ``body``, or a refusal naming ``body``."""
    if len(body) > MAX_PAYLOAD_BYTES:
        return Rejected("body", "the body is too large")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return Rejected("body", "the body is not JSON")
    if not isinstance(data, dict):
        return Rejected("body", "the body must be a JSON object")
    if _has_nul(data):
        return Rejected("body", "the body contains a NUL character")
    if not _finite(data):
        return Rejected("body", "the body contains a number that is not finite")
    return data


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 time with an offset, in UTC; None when missing, naive or out of range."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    try:
        utc = parsed.astimezone(dt.UTC)
    except OverflowError:
        return None
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        return None
    return utc


def parse_message_id(value: Any) -> str | None:
    """The message id as text; integers are accepted and written in decimal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if value < 0 or value >= 10**MAX_ID:
            return None
        value = str(value)
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        return None
    if not value.isprintable():
        return None
    return value


def parse_value(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def parse_payload(
    topic: Topic, data: Mapping[str, Any], received_at: dt.datetime
) -> Incoming | Rejected:
    """Check a decoded payload against the stream of ``topic``."""
    message_id = parse_message_id(data.get("id"))
    if message_id is None:
        return Rejected("id", "id must be a non-empty text of at most 64 characters")
    device_time = parse_time(data.get("time"))
    if device_time is None:
        return Rejected("time", "time must be ISO 8601 with an offset, years 2000 to 2100")
    if topic.stream == TELEMETRY:
        value = parse_value(data.get("value"))
        if value is None:
            return Rejected("value", "value must be a finite number")
        return Incoming(
            stream=TELEMETRY,
            serial=topic.serial,
            kind=READING,
            message_id=message_id,
            device_time=device_time,
            received_at=received_at,
            payload=dict(data),
            parameter=topic.kind,
            value=value,
        )
    if topic.stream == POSITIONS:
        lat, lon = parse_value(data.get("lat")), parse_value(data.get("lon"))
        if lat is None or not -90 <= lat <= 90:
            return Rejected("lat", "lat must be a number of degrees from -90 to 90")
        if lon is None or not -180 <= lon <= 180:
            return Rejected("lon", "lon must be a number of degrees from -180 to 180")
        return Incoming(
            stream=POSITIONS,
            serial=topic.serial,
            kind=POSITION,
            message_id=message_id,
            device_time=device_time,
            received_at=received_at,
            payload={**data, "lat": lat, "lon": lon},
        )
    return Incoming(
        stream=ALARMS,
        serial=topic.serial,
        kind=topic.kind,
        message_id=message_id,
        device_time=device_time,
        received_at=received_at,
        payload=dict(data),
    )


def parse(topic: str, body: bytes | str, received_at: dt.datetime) -> Incoming | Rejected:
    """Topic and raw body to a message, or the first thing wrong with them."""
    where = parse_topic(topic)
    if isinstance(where, Rejected):
        return where
    data = decode_body(body)
    if isinstance(data, Rejected):
        return data
    return parse_payload(where, data, received_at)
