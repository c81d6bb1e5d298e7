import argparse
import logging
import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from saqshy.core import health
from saqshy.core.worker import run
from saqshy.ingest import partitions
from saqshy.ingest.consumer import SESSION_EXPIRY_SECONDS, Consumer

log = logging.getLogger("saqshy.ingest")


def partition_arg(text: str) -> tuple[int, int]:
    """``"2/3"`` → ``(1, 3)``: the 0-based index and the count."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: want K/N, e.g. 1/2") from None
    if n < 1 or not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: want 1 <= K <= N")
    return k - 1, n


class Command(BaseCommand):
    help = (
        "Consume device messages from the MQTT broker (MQTT 5 shared subscription, QoS 1, "
        "persistent session): store in batches, acknowledge after commit; a second thread runs "
        "the handlers. "
        "Run several with the same --group and distinct --client-id to split the load."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="", help="Broker URL (default: MQTT_URL).")
        parser.add_argument(
            "--client-id",
            default="",
            help="Stable client id: the persistent session is kept under it "
            "(default: saqshy-ingest-<host>).",
        )
        parser.add_argument("--group", default="saqshy", help="Shared subscription group.")
        parser.add_argument("--batch", type=int, default=200, help="Messages per stored batch.")
        parser.add_argument(
            "--linger-ms", type=float, default=50.0, help="Longest wait to fill a batch (ms)."
        )
        parser.add_argument(
            "--session-expiry",
            type=int,
            default=SESSION_EXPIRY_SECONDS,
            help="Seconds the broker keeps the session (and unacknowledged messages) while "
            "this consumer is away.",
        )
        parser.add_argument(
            "--partition",
            type=partition_arg,
            default=None,
            metavar="K/N",
            help="Partitioned mode instead of the shared subscription: this is consumer K of N "
            "(1-based); each subscribes plainly to every device topic and stores only its "
            "devices' messages. For brokers that forget shared subscriptions on restart "
            "(Mosquitto 2.0). Run all N, each with its own stable --client-id.",
        )
        health.add_argument(parser)
        parser.add_argument(
            "--max-seconds", type=float, default=0.0, help="Stop after this long (tests)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        client_id = options["client_id"] or f"saqshy-ingest-{socket.gethostname()}"
        partitions.ensure_partitions()
        consumer = Consumer(
            url=options["url"] or settings.MQTT_URL,
            client_id=client_id,
            group=options["group"],
            batch=options["batch"],
            linger=options["linger_ms"] / 1000.0,
            session_expiry=options["session_expiry"],
            partition=options["partition"],
        )
        consumer.stop.on_signals()
        if options["max_seconds"]:
            timer = threading.Timer(options["max_seconds"], consumer.stop.set)
            timer.daemon = True
            timer.start()
        log.info("ingest: connecting to %s as %s", consumer.url, client_id)
        try:
            consumer.start(timeout=None)
        except ConnectionError:
            return  # stopped before the broker answered
        # Handlers in their own thread: storing and acknowledging never wait for them.
        consumer.start_handler()
        last = {"at": time.monotonic(), "received": 0}

        def step() -> int:
            done = consumer.step()
            now = time.monotonic()
            if now - last["at"] >= 60:
                counters = consumer.counters
                log.info(
                    "ingest: %d received in the last minute; totals: %d stored, %d duplicates, "
                    "%d rejected, %d from unknown devices, %d handled, %d database errors",
                    counters.received - last["received"],
                    counters.stored,
                    counters.duplicates,
                    counters.rejected,
                    counters.unknown,
                    counters.handled,
                    counters.db_errors,
                )
                last.update(at=now, received=counters.received)
            return done

        try:
            run(
                step,
                name="ingest_mqtt",
                idle_seconds=0,
                error_seconds=2,
                stop=consumer.stop,
                health_port=options["health_port"],
                ready={"broker": consumer.broker_check},
            )
        finally:
            consumer.close()
        counters = consumer.counters
        self.stdout.write(
            f"ingest_mqtt: {counters.received} received, {counters.stored} stored, "
            f"{counters.duplicates} duplicates, {counters.rejected} rejected"
        )
