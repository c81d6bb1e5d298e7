"""The harness of ``benchmarks/ingest.py``: the database, consumers and publishers of a run
(:class:`Bench`) and the live group an open map listens to (:class:`LiveWatch`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest_parts import (
    CommitClock,
    temporary_folder,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[1]
PARTS = Path(__file__).resolve().parent / "ingest_parts.py"
TARGET_RATE = 5000.0
BARE_ROOT = "bare"
"""The bare run's first topic level: same topic shape, but no consumer subscribes to it."""
MAP_BUDGET_MS = 1000.0
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


class Bench:
    """One benchmark run: the broker, the database, the devices, the consumers."""

    def __init__(self, args: argparse.Namespace, database_url: str, broker_url: str) -> None:
        self.args = args
        self.database_url = database_url
        self.broker_url = broker_url
        self.folder = temporary_folder("saqshy-ingest-")
        self.probe = self.folder / "probe"
        self.probe.mkdir()
        self.consumers: dict[str, subprocess.Popen[bytes]] = {}
        self.group = f"bench{uuid.uuid4().hex[:6]}"
        self.prefix = f"bench-{uuid.uuid4().hex[:6]}"
        self.redis = redis_up()
        self.probe_kinds = "alarm"
        """Kinds the probe handler counts calls of: heartbeats have no handler in the product
        (stored already handled); the fault run probes every kind, i.e. claims for all."""

    # --- database ------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "benchmarks.ingest_settings",
            "SAQSHY_BENCH_PROBE": str(self.probe),
            "SAQSHY_BENCH_PROBE_KINDS": self.probe_kinds,
            "MQTT_URL": self.broker_url,
            "DEBUG": "false",
            "SECRET_KEY": "ingest-benchmark-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
        if self.redis:
            env.update(REDIS_URL=REDIS_URL, REDIS_PREFIX=self.prefix)
        return env

    def manage(self, *command: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=self._env(), check=True
        )

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return list(cursor.fetchall()) if cursor.description else []

    def prepare(self) -> None:
        """Migrate; the region and devices (all "new"), each fire alarm installed in a home
        of its own (``ingest_homes``); empty message tables."""
        self.manage("migrate", "--noinput", "--verbosity", "0")
        # Consumers create the month partitions as they start; two starting together on a
        # fresh database race for the same one, so they are made once here first.
        self.manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from saqshy.ingest import partitions; partitions.ensure_partitions()",
        )
        region = self.sql(
            "INSERT INTO accounts_region (iso_code, slug, kind, name_kk, name_ru, name_en, "
            "created_at, updated_at) "
            "VALUES ('KZ-BENCH', 'bench', 'region', 'Bench', 'Bench', 'Bench', now(), now()) "
            "ON CONFLICT (slug) DO UPDATE SET name_en = EXCLUDED.name_en RETURNING id"
        )
        self.region_id = int(region[0][0])
        rows = [(f"BENCH-{i:05d}", "fire_alarm") for i in range(self.args.devices)]
        rows += [(f"BENCH-S{i:04d}", "site_gateway") for i in range(self.args.sites)]
        import psycopg

        existing = {serial for (serial,) in self.sql("SELECT serial FROM ingest_device")}
        with (
            psycopg.connect(self.database_url, autocommit=True) as conn,
            conn.cursor().copy(
                "COPY ingest_device (serial, kind, region_id, model, firmware, status, "
                "battery_low, hmac_key, created_at, updated_at) FROM STDIN"
            ) as copy,
        ):
            for serial, kind in rows:
                if serial not in existing:
                    copy.write_row(
                        (serial, kind, self.region_id, "bench", "1", "new", False, "", "now", "now")
                    )
        began = time.monotonic()
        self.manage(
            "shell",
            "-v",
            "0",
            "-c",
            f"from benchmarks.ingest_homes import install; install({self.region_id})",
        )
        ((self.homes,),) = self.sql(
            "SELECT count(*) FROM alarms_installation WHERE region_id = %s", (self.region_id,)
        )
        self.homes_seconds = time.monotonic() - began
        self.reset()

    def reset(self) -> None:
        """Empty the message tables and the incidents (an alarm of the next run opens a new
        one); every device online except every ``map_every``-th, new.

        The new ones are declared online by their first stored message, pushed live: that
        push is what an open map receives (publish→map), under the full load of the others.
        """
        import psycopg

        for attempt in range(10):
            try:
                self.sql("TRUNCATE ingest_devicemessage, ingest_reading CASCADE")
                self.sql(
                    "TRUNCATE alarms_alarmevent, alarms_callback, incidents_journalentry, "
                    "incidents_incidentunit, incidents_incident CASCADE"
                )
                self.sql(
                    "UPDATE ingest_device SET status = CASE WHEN id %% %s = 0 THEN 'new' "
                    "ELSE 'online' END WHERE id IN (SELECT id FROM ingest_device "
                    "WHERE serial LIKE 'BENCH-%%' ORDER BY id FOR UPDATE)",
                    (self.args.map_every,),
                )
                return
            except psycopg.errors.DeadlockDetected:
                time.sleep(1 + attempt)

    def stored(self) -> tuple[int, int]:
        ((messages, readings),) = self.sql(
            "SELECT (SELECT count(*) FROM ingest_devicemessage), "
            "(SELECT count(*) FROM ingest_reading)"
        )
        return int(messages), int(readings)

    # --- processes -----------------------------------------------------------------------

    def start_consumer(self, name: str) -> None:
        """Consumer ``c<k>``: in the shared group, or partition k+1 of ``--consumers``."""
        log = (self.folder / f"{name}.log").open("ab")
        split = (
            ["--partition", f"{int(name[1:]) + 1}/{self.args.consumers}"]
            if self.args.partitioned
            else ["--group", self.group]
        )
        self.consumers[name] = subprocess.Popen(
            [
                sys.executable, "manage.py", "ingest_mqtt", "--url", self.broker_url,
                "--client-id", f"{self.group}-{name}", *split,
                "--batch", str(self.args.batch), "--linger-ms", str(self.args.linger_ms),
            ],
            cwd=ROOT, env=self._env(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill_consumer(self, name: str) -> None:
        process = self.consumers.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_consumers(self) -> None:
        for process in self.consumers.values():
            process.terminate()
        for process in self.consumers.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.consumers.clear()

    def warm_up(self, timeout: float = 120.0) -> bool:
        """Publish a few messages until the consumers store them: they are subscribed."""
        deadline = time.monotonic() + timeout
        ok = False
        while not ok and time.monotonic() < deadline:
            self.publishers(f"warm{uuid.uuid4().hex[:4]}", 10, publishers=1)
            ok = wait_until(lambda: self.stored()[0] > 0, 5, every=0.2)
        time.sleep(1)
        self.reset()
        return ok

    def publishers(
        self,
        run: str,
        total: int,
        *,
        publishers: int | None = None,
        kind: str = "heartbeat",
        rate: float = 0.0,
        readings: int = 0,
        devices: int | None = None,
        root: str = "saqshy",
        alarms_every: int = 0,
    ) -> dict[str, Any]:
        """Start the publisher processes and wait for them; their summaries merged."""
        n = publishers or self.args.publishers
        started = []
        for index in range(n):
            share = total // n + (1 if index < total % n else 0)
            out = self.folder / f"acked-{run}-{index}.txt"
            started.append(
                (
                    out,
                    subprocess.Popen(
                        [
                            sys.executable, str(PARTS), "publish", "--url", self.broker_url,
                            "--run", run, "--out", str(out), "--index", str(index),
                            "--publishers", str(n), "--count", str(share),
                            "--devices", str(devices or self.args.devices),
                            "--sites", str(self.args.sites), "--readings", str(readings),
                            "--kind", kind, "--rate", str(rate / n if rate else 0),
                            "--patience", str(self.args.patience), "--root", root,
                            "--alarms-every", str(alarms_every),
                        ],
                        stdout=subprocess.PIPE,
                    ),
                )
            )  # fmt: skip
        summaries = []
        acked: list[str] = []
        for out, process in started:
            stdout, _ = process.communicate()
            lines = stdout.decode().strip().splitlines()
            if lines:
                summaries.append(json.loads(lines[-1]))
                acked += [line for line in out.read_text().splitlines() if line]
            else:
                print(f"a publisher failed (exit {process.returncode}); its messages uncounted")
        if not summaries:
            raise RuntimeError("every publisher failed")
        return {
            "began": min(s["began"] for s in summaries),
            "published": max(s["published"] for s in summaries),
            "acked": sum(s["acked"] for s in summaries),
            "unacked": sum(s["unacked"] for s in summaries),
            "ids": acked,
        }

    def bare(self, run: str, total: int) -> dict[str, Any]:
        """The bare subscriber and the publishers: the broker's own throughput."""
        ready = self.folder / f"count-{run}.ready"
        counter = subprocess.Popen(
            [
                sys.executable, str(PARTS), "count", "--url", self.broker_url, "--run", run,
                "--out", str(ready), "--expected", str(total), "--idle", "10", "--root", BARE_ROOT,
            ],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        wait_until(ready.exists, 10)
        time.sleep(0.5)
        sent = self.publishers(run, total, readings=self.args.readings, root=BARE_ROOT)
        stdout, _ = counter.communicate()
        state = json.loads(stdout.decode().strip().splitlines()[-1])
        seconds = max(state["last"] - sent["began"], 1e-9)
        return {"n": int(state["n"]), "rate": state["n"] / seconds, "acked": sent["acked"]}

    def drain(self, expected: int, timeout: float) -> float:
        """Wait until ``expected`` rows (messages + readings) are stored or nothing moves."""
        last, still = -1, time.monotonic()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            total = sum(self.stored())
            if total >= expected:
                break
            if total != last:
                last, still = total, time.monotonic()
            elif time.monotonic() - still > 30:
                break
            time.sleep(0.2)
        return time.time()

    def latencies(self, clock: CommitClock) -> tuple[list[float], dict[str, float]]:
        """publish→commit per stored message (ms); each device's first ``sent`` time."""
        rows = self.sql(
            "SELECT m.id, (m.payload->>'sent')::float8, d.serial "
            "FROM ingest_devicemessage m JOIN ingest_device d ON d.id = m.device_id"
        )
        commit = clock.times
        values = [(commit[i] - sent) * 1000 for i, sent, _ in rows if i in commit and sent]
        first: dict[str, float] = {}
        for _x, sent, serial in rows:
            if sent and sent < first.get(serial, float("inf")):
                first[serial] = sent
        return values, first

    def handled_twice(self) -> tuple[int, int]:
        calls: Counter[str] = Counter()
        for path in self.probe.glob("*.log"):
            calls.update(line for line in path.read_text().splitlines() if line)
        return sum(calls.values()), sum(1 for n in calls.values() if n > 1)

    def close(self) -> None:
        self.stop_consumers()


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


class LiveWatch:
    """The region's live group, as an open map receives it: first time each serial was pushed
    (device online), and when each incident's ``created`` push arrived (alarm→map)."""

    def __init__(self, prefix: str, region_id: int) -> None:
        self.seen: dict[str, float] = {}
        self.incidents: dict[int, float] = {}
        self.prefix = prefix
        self.group = f"region.{region_id}"
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._listen()), daemon=True)
        self._thread.start()
        self._ready.wait(10)

    async def _listen(self) -> None:
        from saqshy.core.channel_layer import PubSubChannelLayer

        # The consumers' own layer (settings: SAQSHY_CHANNEL_LAYER, publish/subscribe).
        layer = PubSubChannelLayer(hosts=[REDIS_URL], prefix=self.prefix)
        channel = await layer.new_channel()
        await layer.group_add(self.group, channel)
        self._ready.set()
        waiting: asyncio.Future[Any] | None = None
        while not self._stop.is_set():
            # A receive is never cancelled: that would end the channel's subscription.
            waiting = waiting or asyncio.ensure_future(layer.receive(channel))
            done, _pending = await asyncio.wait({waiting}, timeout=0.5)
            if not done:
                continue
            message, waiting = waiting.result(), None
            now = time.time()
            event = message.get("event", {})
            if event.get("topic") == "incident" and event.get("op") == "created":
                self.incidents.setdefault(int(event["id"]), now)
                continue
            for device in (event.get("data") or {}).get("devices", []):
                self.seen.setdefault(str(device.get("serial")), now)

    def clear(self) -> None:
        self.seen = {}
        self.incidents = {}

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)


def median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: statistics.median(row[key] for row in rows) for key in rows[0]}
