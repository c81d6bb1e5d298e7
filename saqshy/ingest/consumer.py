"""The MQTT ingest consumer: receive, store a batch, acknowledge after commit, then process.

One :class:`Consumer` holds a paho-mqtt 2 client (MQTT 5) with a persistent session
(``clean_start=False`` and a session expiry interval, a stable client id) subscribed with QoS 1
to the shared subscriptions ``$share/<group>/saqshy/alarms/+/+`` and
``$share/<group>/saqshy/telemetry/+/+``: N consumers in one group split the load, and
messages a consumer received but did not acknowledge stay in its session and come again
when it reconnects.

Partitioned mode (``partition=(k, n)``, ``manage.py ingest_mqtt --partition k/n``) is for a
broker that forgets shared subscriptions when it restarts (Mosquitto 2.0): each of the n
consumers subscribes *plainly* to every device topic, which a persistent session keeps across
a broker restart, stores only the devices whose serial hashes to its partition (CRC-32 of the
serial, modulo n) and acknowledges the others at once without storing them. Nothing published
while a consumer is away is lost, and one device's messages always reach the same consumer;
the price is that every consumer receives every message, and a partition waits (queued at the
broker) while its consumer is down.

Acknowledgement is manual (``manual_ack=True``): the network thread only queues what arrives;
:meth:`Consumer.step` takes a batch (``batch`` messages or ``linger`` seconds after the first),
stores it in one transaction and acknowledges each message (``client.ack(mid, qos)``) only after
the commit. The handlers (``services.process``, alarms first) run in a handler thread of the
same process (:meth:`Consumer.start_handler`, its own database connection), woken after each
stored batch, so slow handlers (an alarm storm) never hold back storing, acknowledging and the
broker's queue; without that thread (tests) :meth:`Consumer.step` handles inline after
storing. Handling claims by compare-and-set, so a killed process leaves its stored rows
unhandled (or claimed, and reclaimed after ``INGEST_RECLAIM_SECONDS``). A database error
leaves the batch unacknowledged and retried with backoff; a consumer that dies before its
commit loses nothing (the broker sends the messages again) and stores nothing twice (inserts
ignore what is already stored).
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection

from saqshy.algorithms.ingest import Incoming, Rejected, parse
from saqshy.core.worker import Stop
from saqshy.ingest import services
from saqshy.ingest.transport import BrokerAddress, mqtt_client

log = logging.getLogger(__name__)

TOPICS = ("saqshy/alarms/+/+", "saqshy/telemetry/+/+", "saqshy/positions/+/+")
SESSION_EXPIRY_SECONDS = 7 * 24 * 3600
RECLAIM_EVERY_SECONDS = 30.0
HANDLE_LIMIT = 500
"""Events one ``services.process`` call of the handler thread claims (alarms first)."""
HANDLER_IDLE_SECONDS = 1.0
"""The handler thread looks for work at least this often when no batch wakes it."""


@dataclass
class Received:
    """A message as the network thread queued it, with what is needed to acknowledge it."""

    mid: int
    qos: int
    topic: str
    body: bytes
    received_at: dt.datetime
    connection: int


@dataclass
class Counters:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    unknown: int = 0
    handled: int = 0
    db_errors: int = 0
    foreign: int = 0
    """Messages of other partitions, acknowledged without storing (partitioned mode)."""
    by_stream: dict[str, int] = field(default_factory=dict)


class Killed(Exception):
    """Raised by a test hook to stop a consumer the way ``kill -9`` would."""


class Consumer:
    """One ingest consumer; :meth:`start` connects, :meth:`step` does one batch."""

    def __init__(
        self,
        *,
        url: str | None = None,
        client_id: str,
        group: str = "saqshy",
        batch: int = 200,
        linger: float = 0.05,
        before_store: Callable[[Consumer, list[Incoming]], None] | None = None,
        session_expiry: int = SESSION_EXPIRY_SECONDS,
        partition: tuple[int, int] | None = None,
    ) -> None:
        if partition is not None:
            index, count = partition
            if count < 1 or not 0 <= index < count:
                raise ValueError(f"partition {index} of {count}: want 0 <= index < count")
        self.partition = partition
        self.url = url or settings.MQTT_URL
        self.client_id = client_id
        self.group = group
        self.batch = max(1, batch)
        self.linger = linger
        self.before_store = before_store
        self.session_expiry = session_expiry
        self.counters = Counters()
        self.inbox: queue.Queue[Received] = queue.Queue()
        self._pending: list[Received] = []
        self._connection = 0
        self._connected = threading.Event()
        self._subscribed = threading.Event()
        self._failures = 0
        self._last_reclaim = 0.0
        self._wake = threading.Event()
        self._handler: threading.Thread | None = None
        self.stop = Stop()
        self.client = self._client()

    # --- the broker side (paho's network thread) ---

    def _client(self) -> Any:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        client = mqtt_client(self.url, self.client_id, manual_ack=True)
        client.reconnect_delay_set(min_delay=1, max_delay=10)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_subscribe = self._on_subscribe
        self._connect_properties = Properties(PacketTypes.CONNECT)
        self._connect_properties.SessionExpiryInterval = self.session_expiry
        # The broker may send this many unacknowledged messages: a few batches' worth.
        self._connect_properties.ReceiveMaximum = min(65535, max(self.batch * 4, 100))
        return client

    def _on_connect(
        self, client: Any, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            log.error("ingest: the broker refused the connection: %s", reason)
            return
        self._connection += 1
        client.subscribe([(topic, 1) for topic in self.topics()])
        self._connected.set()
        log.info(
            "ingest: connected to %s as %s (%s)",
            self.url,
            self.client_id,
            f"group {self.group}"
            if self.partition is None
            else f"partition {self.partition[0] + 1} of {self.partition[1]}",
        )

    def topics(self) -> list[str]:
        """The subscriptions: shared by the group, or plain in partitioned mode."""
        if self.partition is not None:
            return list(TOPICS)
        return [f"$share/{self.group}/{topic}" for topic in TOPICS]

    def owns(self, topic: str) -> bool:
        """Whether this consumer stores ``topic``'s message (always, unless partitioned).

        A topic without a device level goes to the first partition, whose parser rejects it.
        """
        if self.partition is None:
            return True
        index, count = self.partition
        levels = topic.split("/", 3)
        serial = levels[2] if len(levels) > 2 else ""
        return zlib.crc32(serial.encode("utf-8", "replace")) % count == index

    def _on_subscribe(self, _client: Any, _userdata: Any, _mid: int, codes: Any, _p: Any) -> None:
        failed = [code for code in codes if code.is_failure]
        if failed:
            log.error("ingest: the broker refused the subscriptions: %s", failed)
            return
        self._subscribed.set()

    def _on_disconnect(
        self, _client: Any, _userdata: Any, _flags: Any, reason: Any, _p: Any
    ) -> None:
        self._connected.clear()
        self._subscribed.clear()
        if not self.stop.is_set():
            log.warning("ingest: disconnected from the broker (%s); reconnecting", reason)

    def _on_message(self, client: Any, _userdata: Any, message: Any) -> None:
        if not self.owns(message.topic):
            # Another partition's device: its consumer stores it from its own subscription.
            self.counters.foreign += 1
            if message.qos > 0:
                client.ack(message.mid, message.qos)
            return
        self.inbox.put(
            Received(
                mid=message.mid,
                qos=message.qos,
                topic=message.topic,
                body=message.payload,
                received_at=dt.datetime.now(dt.UTC),
                connection=self._connection,
            )
        )

    def start(self, timeout: float | None = 30.0) -> Consumer:
        """Connect and subscribe; ``timeout=None`` waits until the broker answers (or stop).

        paho keeps retrying in its network thread, so a broker that is down at start is the
        same as one that restarts later.
        """
        address = BrokerAddress.from_url(self.url)
        self.client.connect_async(
            address.host,
            address.port,
            keepalive=30,
            clean_start=False,
            properties=self._connect_properties,
        )
        self.client.loop_start()
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._subscribed.wait(0.5):
            if self.stop.is_set() or (deadline is not None and time.monotonic() > deadline):
                self.client.loop_stop()
                raise ConnectionError(f"no MQTT broker answered (or subscribed) at {self.url}")
        return self

    def broker_check(self) -> str | None:
        """Readiness (``saqshy.core.health``): connected to the broker, and handlers running."""
        if not self._connected.is_set():
            return "broker: not connected"
        if self._handler is not None and not self._handler.is_alive():
            return "handlers: thread stopped"
        return None

    def close(self) -> None:
        """Disconnect; anything not yet acknowledged stays in the session for next time."""
        self.stop.set()
        self.client.disconnect()
        self.client.loop_stop()
        self.stop_handler()

    # --- the handler thread ---

    def start_handler(self, *, limit: int = HANDLE_LIMIT) -> None:
        """Run the handlers in a thread of their own from now on (``step`` then only stores)."""
        if self._handler is not None:
            return
        self._handler = threading.Thread(
            target=self._handle_loop, args=(limit,), name=f"{self.client_id}-handler", daemon=True
        )
        self._handler.start()

    def stop_handler(self, timeout: float = 30.0) -> None:
        """Stop the handler thread after the call it is in (what it has not claimed stays)."""
        thread, self._handler = self._handler, None
        if thread is None:
            return
        self.stop.set()
        self._wake.set()
        thread.join(timeout)

    def _handle_loop(self, limit: int) -> None:
        """Handle until stopped: woken by each stored batch, else every second (retries,
        rows other consumers stored, reclaims). Its own database connection, closed at exit."""
        failures = 0
        try:
            while not self.stop.is_set():
                self._wake.wait(HANDLER_IDLE_SECONDS)
                self._wake.clear()
                try:
                    self._maybe_reclaim()
                    while not self.stop.is_set():
                        done = services.process(limit=limit)
                        self.counters.handled += done
                        if done == 0:
                            break
                    failures = 0
                except DatabaseError:
                    failures += 1
                    delay = min(0.5 * 2 ** (failures - 1), 15.0)
                    log.exception("ingest: handling failed; retrying in %.1f s", delay)
                    connection.close_if_unusable_or_obsolete()
                    self.stop.wait(delay)
                except Exception:
                    log.exception("ingest: the handler thread hit an error; going on")
                    self.stop.wait(1.0)
        finally:
            connection.close()

    def kill(self) -> None:
        """Drop the connection without a word (no DISCONNECT, no acknowledgements): a crash."""
        self.stop.set()
        self.client.loop_stop()
        sock = self.client.socket()
        if sock is not None:
            sock.close()

    # --- the work (the caller's thread) ---

    def _take(self, wait: float) -> None:
        """Fill ``_pending`` up to ``batch``: block up to ``wait`` for the first message, then
        at most ``linger`` for the rest."""
        if not self._pending:
            try:
                self._pending.append(self.inbox.get(timeout=wait))
            except queue.Empty:
                return
        deadline = time.monotonic() + self.linger
        while len(self._pending) < self.batch:
            remaining = deadline - time.monotonic()
            try:
                self._pending.append(
                    self.inbox.get_nowait() if remaining <= 0 else self.inbox.get(timeout=remaining)
                )
            except queue.Empty:
                return

    def step(self, wait: float = 0.5) -> int:
        """Store, acknowledge and process one batch; returns the messages it took care of."""
        self._take(wait)
        inline = self._handler is None
        if inline:
            self._maybe_reclaim()
        if not self._pending:
            return services.process() if inline else 0
        parsed: list[Incoming] = []
        for item in self._pending:
            result = parse(item.topic, item.body, item.received_at)
            if isinstance(result, Rejected):
                self.counters.rejected += 1
                log.warning("ingest: dropped a message on %r: %s", item.topic[:120], result.reason)
            else:
                parsed.append(result)
        if self.before_store is not None:
            self.before_store(self, parsed)
        try:
            stored = services.store(parsed)
        except DatabaseError:
            self.counters.db_errors += 1
            self._failures += 1
            delay = min(0.5 * 2 ** (self._failures - 1), 15.0)
            log.exception(
                "ingest: storing a batch failed; retrying in %.1f s (not acknowledged)", delay
            )
            self.stop.wait(delay)
            return 0
        self._failures = 0
        done = len(self._pending)
        self._acknowledge()
        self.counters.received += done
        self.counters.stored += stored.messages + stored.readings
        self.counters.duplicates += stored.duplicates
        self.counters.unknown += stored.unknown
        for message in parsed:
            self.counters.by_stream[message.stream] = (
                self.counters.by_stream.get(message.stream, 0) + 1
            )
        if stored.messages:
            if inline:
                self.counters.handled += services.process(limit=max(500, stored.messages))
            else:
                self._wake.set()
        return done

    def _acknowledge(self) -> None:
        """PUBACK every message of the committed batch, oldest first; messages that came on a
        connection since lost are not acknowledged (the broker sends them again)."""
        for item in self._pending:
            if item.qos > 0 and item.connection == self._connection:
                self.client.ack(item.mid, item.qos)
        self._pending = []

    def _maybe_reclaim(self) -> None:
        now = time.monotonic()
        if now - self._last_reclaim >= RECLAIM_EVERY_SECONDS:
            self._last_reclaim = now
            services.reclaim()
