"""Sending device messages: one small interface, a broker implementation and two stand-ins.

The simulator, the benchmark and tests publish through :func:`publisher_from_settings`:

- :class:`MqttPublisher` publishes to the broker at ``MQTT_URL`` (paho-mqtt 2, MQTT 5, QoS 1);
  ``flush()`` waits until the broker acknowledged every message (PUBACK).
- :class:`DirectPublisher` stores through the same ingest path in this process (parse, store,
  process): the SQLite demo without a broker, and tests.
- :class:`FakePublisher` only records what was published.

``INGEST_TRANSPORT`` chooses (``mqtt`` or ``direct``); ``mqtt`` falls back to ``direct``,
with a log line, when the broker cannot be reached.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone

from saqshy.algorithms.ingest import Incoming, Rejected, parse

log = logging.getLogger(__name__)


class Publisher(Protocol):
    def publish(self, topic: str, payload: Mapping[str, Any]) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class BrokerAddress:
    """``mqtt://user:password@host:port`` (``mqtts://`` for TLS) taken apart."""

    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> BrokerAddress:
        parts = urlsplit(url)
        tls = parts.scheme in ("mqtts", "ssl")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (8883 if tls else 1883),
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def broker_reachable(url: str | None = None, timeout: float = 1.0) -> bool:
    """True when a TCP connection to the broker opens (a cheap check before using it)."""
    address = BrokerAddress.from_url(url or settings.MQTT_URL)
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout):
            return True
    except OSError:
        return False


def mqtt_client(url: str, client_id: str, **kwargs: Any) -> Any:
    """A paho-mqtt 2 client for MQTT 5 with the URL's credentials and TLS set."""
    from paho.mqtt.client import CallbackAPIVersion, Client
    from paho.mqtt.enums import MQTTProtocolVersion

    address = BrokerAddress.from_url(url)
    client = Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=MQTTProtocolVersion.MQTTv5,
        **kwargs,
    )
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        client.tls_set()
    return client


class MqttPublisher:
    """Publishes JSON payloads with QoS 1; ``flush()`` returns when all were acknowledged."""

    def __init__(
        self, url: str | None = None, *, client_id: str = "", timeout: float = 30.0
    ) -> None:
        self.url = url or settings.MQTT_URL
        self.timeout = timeout
        self._pending: list[Any] = []
        self._lock = threading.Lock()
        self.client = mqtt_client(self.url, client_id or f"saqshy-pub-{uuid.uuid4().hex[:12]}")
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        address = BrokerAddress.from_url(self.url)
        self.client.connect(address.host, address.port, keepalive=30)
        self.client.loop_start()
        deadline = time.monotonic() + timeout
        while not self.client.is_connected() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self.client.is_connected():
            self.client.loop_stop()
            raise ConnectionError(f"MQTT broker at {self.url} did not accept the connection")

    def publish(self, topic: str, payload: Mapping[str, Any]) -> None:
        info = self.client.publish(topic, json.dumps(payload, separators=(",", ":")), qos=1)
        with self._lock:
            self._pending.append(info)

    def flush(self) -> None:
        """Wait for the broker's PUBACK of every message published so far."""
        with self._lock:
            pending, self._pending = self._pending, []
        deadline = time.monotonic() + self.timeout
        for info in pending:
            remaining = max(deadline - time.monotonic(), 0.01)
            info.wait_for_publish(timeout=remaining)
            if not info.is_published():
                raise TimeoutError(f"the broker did not acknowledge message {info.mid}")

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.client.disconnect()
            self.client.loop_stop()


class DirectPublisher:
    """Parses and stores in this process through the ingest path (no broker).

    Messages are buffered and stored ``batch`` at a time, and on ``flush()``/``close()``.
    ``rejected`` keeps the refusals of messages that did not parse.
    """

    def __init__(self, *, batch: int = 200) -> None:
        self.batch = batch
        self._buffer: list[Incoming] = []
        self.rejected: list[tuple[str, Rejected]] = []

    def publish(self, topic: str, payload: Mapping[str, Any]) -> None:
        parsed = parse(topic, json.dumps(payload), timezone.now())
        if isinstance(parsed, Rejected):
            log.warning("ingest: dropped a message on %s: %s", topic, parsed.reason)
            self.rejected.append((topic, parsed))
            return
        self._buffer.append(parsed)
        if len(self._buffer) >= self.batch:
            self.flush()

    def flush(self) -> None:
        from saqshy.ingest import services

        batch, self._buffer = self._buffer, []
        if batch:
            services.ingest(batch)

    def close(self) -> None:
        self.flush()


class FakePublisher:
    """Records ``(topic, payload)`` pairs; ``flushes`` counts ``flush()`` calls."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.flushes = 0
        self.closed = False

    def publish(self, topic: str, payload: Mapping[str, Any]) -> None:
        self.sent.append((topic, dict(payload)))

    def flush(self) -> None:
        self.flushes += 1

    def close(self) -> None:
        self.closed = True


def publisher_from_settings() -> Publisher:
    """The publisher ``INGEST_TRANSPORT`` names; ``mqtt`` without a broker falls back to
    ``direct`` (logged)."""
    transport = getattr(settings, "INGEST_TRANSPORT", "mqtt")
    if transport == "direct":
        return DirectPublisher()
    if transport != "mqtt":
        raise ValueError(f"INGEST_TRANSPORT must be mqtt or direct, not {transport!r}")
    url = settings.MQTT_URL
    if broker_reachable(url):
        try:
            return MqttPublisher(url, client_id=f"saqshy-pub-{os.getpid()}-{uuid.uuid4().hex[:6]}")
        except (OSError, ConnectionError):
            log.exception("ingest: MQTT broker at %s refused the connection", url)
    log.warning("ingest: no MQTT broker at %s; messages are stored in-process instead", url)
    return DirectPublisher()
