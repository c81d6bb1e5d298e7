"""Ingest over MQTT into PostgreSQL: throughput, latency, an alarm storm and faults.

Issue 11's targets: ≥ 5,000 messages/s on 2 cores with 2 consumers; publish→row and
publish→open map p50/p99; all 36,000 devices alarming within 10 s stored once each; a
200,000-message run surviving a killed consumer, a broker restart and a PostgreSQL restart
with nothing lost and nothing stored or handled twice. Prints tables; asserts nothing.

Side by side in one run, on the same broker: the bare subscriber (a paho client that only
counts: the broker's raw throughput, the ceiling) and ``--consumers`` × ``manage.py
ingest_mqtt`` in one shared-subscription group storing into PostgreSQL. Publishers are
separate paho processes (QoS 1). Each sustained measurement is repeated ``--runs`` times;
the table gives each run and the median.

- publish→row: the ``sent`` time in the payload to the commit of the row's transaction (a
  statement trigger NOTIFYs at commit; ``CommitClock``).
- publish→map: every ``--map-every``-th device starts "new" (the others online); its first
  stored message declares it online, pushed live to the region's group; the benchmark
  listens on that group through the Redis channel layer (as an open map's socket does) and
  takes the device's first message.
- alarm→map (paced runs, ``--pace``): every fire alarm is installed in a home of its own
  (``ingest_homes``); every ``--alarms-every``-th message is an ``alarm`` from a distinct
  home, which opens a ``home_fire_alarm`` incident; measured from its ``sent`` time to the
  incident's ``created`` push on the region's group (the alarm event joins the incident id
  to the stored message).
- Storm: ``--storm-households`` homes (default every device) alarm within
  ``--storm-seconds``, ``--storm-repeat`` of them again ``--storm-repeat-after`` s later (the
  second joins the open incident); incidents per home, the time to open them all, and the
  region dispatcher's incidents page and API list timed meanwhile (in-process test client).
- Faults need a broker and a database this run may restart: it starts its own Mosquitto and
  PostgreSQL cluster (temporary folders, free ports) and never touches the machine's.

Usage: ``DEBUG=true .venv/bin/python benchmarks/ingest.py [--messages 50000] [--runs 3]
[--devices 36000] [--pace 0] [--alarms-every 50] [--storm-households 0]
[--fault-messages 200000] [--skip-faults] [--skip-storm]
[--database-url postgres://postgres@127.0.0.1:5432/saqshy_bench]``
"""

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
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest_parts import (
    CommitClock,
    OwnBroker,
    OwnPostgres,
    broker_up,
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
        self.redis = _redis_up()
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


def _redis_up() -> bool:
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
        from channels_redis.core import RedisChannelLayer

        layer = RedisChannelLayer(hosts=[REDIS_URL], prefix=self.prefix, capacity=10000)
        channel = await layer.new_channel()
        await layer.group_add(self.group, channel)
        self._ready.set()
        while not self._stop.is_set():
            try:
                message = await asyncio.wait_for(layer.receive(channel), 0.5)
            except TimeoutError:
                continue
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


def alarm_to_map(bench: Bench, live: LiveWatch | None, expected: int) -> dict[str, Any]:
    """publish→the ``created`` push of the incident each alarm opened, after the run drained.

    Waits until the run's ``expected`` alarms are handled and their incidents pushed (or
    nothing moves for 30 s); the push carries the incident's id, the alarm event joins it to
    the stored message and its ``sent`` time.
    """

    def opened() -> list[tuple[int, float]]:
        return [
            (int(incident), float(sent))
            for incident, sent in bench.sql(
                "SELECT e.incident_id, (m.payload->>'sent')::float8 FROM alarms_alarmevent e "
                "JOIN ingest_devicemessage m ON m.device_id = e.device_id "
                "AND m.message_id = e.message_id WHERE e.outcome = 'incident'"
            )
        ]

    progress = [-1, time.monotonic()]

    def settled() -> bool:
        stored = len(opened())
        pushed = len(live.incidents) if live else expected
        if stored + pushed != progress[0]:
            progress[:] = [stored + pushed, time.monotonic()]
        return (stored >= expected and pushed >= expected) or (
            time.monotonic() - float(progress[1]) > 30
        )

    wait_until(settled, bench.args.patience, every=0.2)
    rows = opened()
    pushed = live.incidents if live else {}
    values = [(pushed[i] - sent) * 1000 for i, sent in rows if i in pushed]
    return {
        "alarms": expected,
        "incidents": len(rows),
        "n": len(values),
        "p50": pct(values, 0.5),
        "p99": pct(values, 0.99),
    }


def sustained(bench: Bench, clock: CommitClock, live: LiveWatch | None) -> None:
    args = bench.args
    # Paced runs carry an alarm every ``--alarms-every`` messages (alarm→map); flat-out runs
    # measure throughput with heartbeats and readings only, as before.
    alarms_every = args.alarms_every if args.pace and bench.homes else 0
    rows = []
    alarm_rows = []
    for r in range(args.runs):
        raw = bench.bare(f"raw{r}{uuid.uuid4().hex[:4]}", args.messages)
        bench.reset()
        if live:
            live.clear()
        clock.times.clear()
        sent = bench.publishers(
            f"s{r}{uuid.uuid4().hex[:4]}", args.messages, readings=args.readings, rate=args.pace,
            alarms_every=alarms_every,
        )  # fmt: skip
        done = bench.drain(sent["acked"], args.patience)
        messages, readings = bench.stored()
        if alarms_every:
            ((alarms,),) = bench.sql(
                "SELECT count(*) FROM ingest_devicemessage WHERE kind = 'alarm'"
            )
            alarm_rows.append(alarm_to_map(bench, live, int(alarms)))
        seconds = max(done - sent["began"], 1e-9)
        row_ms, first = bench.latencies(clock)
        map_ms = [
            (at - first[serial]) * 1000
            for serial, at in (live.seen if live else {}).items()
            if serial in first
        ]
        rows.append(
            {
                "raw": raw["rate"],
                "stored": messages + readings,
                "acked": sent["acked"],
                "rate": (messages + readings) / seconds,
                "row50": pct(row_ms, 0.5),
                "row99": pct(row_ms, 0.99),
                "map_n": len(map_ms),
                "map50": pct(map_ms, 0.5),
                "map99": pct(map_ms, 0.99),
            }
        )
    print(
        f"\nSustained: {args.messages} messages per run "
        f"({'at ' + format(args.pace, '.0f') + '/s' if args.pace else 'as fast as they go'}, "
        f"{args.publishers} publishers, QoS 1, "
        f"{args.devices} devices, every {args.readings}th a reading), "
        f"{args.consumers} consumers ({'partitioned' if args.partitioned else 'one shared group'}, "
        f"batch {args.batch}, linger {args.linger_ms} ms)"
    )
    print(
        f"{'run':>4} {'bare msg/s':>11} {'stored/acked':>13} {'consumers msg/s':>16} "
        f"{'ratio':>6} {'vs 5000':>8} {'row p50 ms':>11} {'row p99 ms':>11} {'map n':>6} "
        f"{'map p50 ms':>11} {'map p99 ms':>11}"
    )
    for i, row in enumerate([*rows, _median(rows)]):
        print(
            f"{'med' if i == len(rows) else i + 1:>4} {row['raw']:>11.0f} "
            f"{row['stored']:>6.0f}/{row['acked']:<6.0f} {row['rate']:>16.0f} "
            f"{row['rate'] / row['raw']:>6.2f} {row['rate'] / TARGET_RATE:>8.2f} "
            f"{row['row50']:>11.0f} {row['row99']:>11.0f} {row['map_n']:>6.0f} "
            f"{row['map50']:>11.0f} {row['map99']:>11.0f}"
        )
    if alarm_rows:
        print(
            f"\nAlarm→map (the same paced runs): every {alarms_every}th message an 'alarm' from "
            "a home of its own; publish → the incident's 'created' push on "
            f"region.{bench.region_id}"
        )
        print(
            f"{'run':>4} {'alarms':>7} {'incidents':>10} {'pushed':>7} {'p50 ms':>8} "
            f"{'p99 ms':>8} {'p99/1 s':>8}"
        )
        for i, row in enumerate([*alarm_rows, _median(alarm_rows)]):
            print(
                f"{'med' if i == len(alarm_rows) else i + 1:>4} {row['alarms']:>7.0f} "
                f"{row['incidents']:>10.0f} {row['n']:>7.0f} {row['p50']:>8.0f} "
                f"{row['p99']:>8.0f} {row['p99'] / MAP_BUDGET_MS:>8.2f}"
            )
    elif args.pace:
        print("alarm→map: not measured (no households installed)")


def _median(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: statistics.median(row[key] for row in rows) for key in rows[0]}


class DeskTimer:
    """The region's dispatcher at their desk during the storm: the incidents list page and the
    API's incident list fetched in turn, in this process (Django's test client, logged in as
    ``ingest_homes.DISPATCHER``), each response timed."""

    PAUSE = 0.25
    """Seconds between two fetches: a desk refreshing, not a load generator."""

    def __init__(self, bench: Bench) -> None:
        _django(bench)
        self.times: dict[str, list[float]] = {"page": [], "api": []}
        self.failed: Counter[str] = Counter()
        self.listed = 0
        """The most incidents the API list counted: the desk saw the storm's incidents."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from django.db import connection
        from django.test import Client
        from django.urls import reverse
        from ingest_homes import DISPATCHER

        from saqshy.accounts.models import User

        try:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(User.objects.get(username=DISPATCHER))
            urls = {"page": reverse("incidents:list"), "api": reverse("api:incident-list")}
            while not self._stop.is_set():
                for name, url in urls.items():
                    began = time.perf_counter()
                    try:
                        response = client.get(url)
                        status = response.status_code
                    except Exception:
                        status = 0
                    if name == "api" and status == 200:
                        count = response.json().get("count")
                        self.listed = max(self.listed, int(count or 0))
                    self.times[name].append((time.perf_counter() - began) * 1000)
                    if status != 200:
                        self.failed[f"{name} {status}"] += 1
                    self._stop.wait(self.PAUSE)
        finally:
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(60)


_django_ready: list[bool] = []


def _django(bench: Bench) -> None:
    """Django in this process, on the benchmark's database (for the desk timer)."""
    if _django_ready:
        return
    import django

    os.environ.update(bench._env())
    # The in-process client serves pages without collected static files: say so once.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    _django_ready.append(True)


def storm(bench: Bench, clock: CommitClock) -> None:
    """``--storm-households`` homes send ``alarm`` within ``--storm-seconds``; a share of them
    (``--storm-repeat``) a second alarm ``--storm-repeat-after`` seconds behind.

    Every message stored and handled once; each home's alarms open one incident (the second
    alarm joins it); the dispatcher's desk (incidents page and API list) timed meanwhile.
    """
    args = bench.args
    homes = min(args.storm_households or args.devices, args.devices)
    repeats = int(homes * args.storm_repeat)
    rate = homes / args.storm_seconds
    bench.reset()
    clock.times.clear()
    for probed in bench.probe.glob("*.log"):  # the paced runs' alarms were handled too
        probed.unlink()
    run = f"storm{uuid.uuid4().hex[:4]}"
    desk = DeskTimer(bench) if bench.homes else None
    second: dict[str, Any] = {}

    def again() -> None:
        time.sleep(args.storm_repeat_after)
        second.update(bench.publishers(f"{run}b", repeats, kind="alarm", rate=rate, devices=homes))

    repeating = threading.Thread(target=again) if repeats else None
    if repeating:
        repeating.start()
    try:
        first = bench.publishers(run, homes, kind="alarm", rate=rate, devices=homes)
        if repeating:
            repeating.join()
        sent = {
            "acked": first["acked"] + second.get("acked", 0),
            "began": first["began"],
            "published": max(first["published"], second.get("published", 0.0)),
        }
        stored_at = bench.drain(sent["acked"], args.patience)

        def handled() -> int:
            ((n,),) = bench.sql(
                "SELECT count(*) FROM ingest_devicemessage WHERE kind = 'alarm' "
                "AND handled_at IS NOT NULL"
            )
            return int(n)

        def with_incident() -> int:
            ((n,),) = bench.sql(
                "SELECT count(DISTINCT household_id) FROM alarms_alarmevent "
                "WHERE outcome = 'incident'"
            )
            return int(n)

        def settled(count: Any, target: int) -> Any:
            progress = [-1, time.monotonic()]

            def check() -> bool:
                n = count()
                if n != progress[0]:
                    progress[:] = [n, time.monotonic()]
                return bool(n >= target or time.monotonic() - float(progress[1]) > 30)

            return check

        expected_incidents = min(homes, bench.homes)
        wait_until(settled(with_incident, expected_incidents), args.patience, every=0.2)
        opened_at = time.time()
        wait_until(settled(handled, sent["acked"]), args.patience, every=0.2)
        handled_at = time.time()
    finally:
        if desk:
            desk.close()
    ((stored, distinct),) = bench.sql(
        "SELECT count(*), count(DISTINCT (device_id, message_id)) FROM ingest_devicemessage "
        "WHERE kind = 'alarm'"
    )
    row_ms, _first = bench.latencies(clock)
    calls, twice = bench.handled_twice()
    print(
        f"\nAlarm storm: {homes} devices (each in a home of its own) send 'alarm' within "
        f"{args.storm_seconds:.0f} s; {repeats} of them a second one "
        f"{args.storm_repeat_after:.0f} s behind"
    )
    print(
        f"{'acked':>7} {'stored':>7} {'distinct':>9} {'handled':>8} {'publish s':>10} "
        f"{'stored +s':>10} {'handled +s':>11} {'row p50 ms':>11} {'row p99 ms':>11} "
        f"{'handler calls':>14} {'twice':>6}"
    )
    print(
        f"{sent['acked']:>7} {stored:>7} {distinct:>9} {handled():>8} "
        f"{sent['published'] - sent['began']:>10.1f} {stored_at - sent['published']:>10.1f} "
        f"{handled_at - sent['published']:>11.1f} {pct(row_ms, 0.5):>11.0f} "
        f"{pct(row_ms, 0.99):>11.0f} {calls:>14} {twice:>6}"
    )
    ((incidents,),) = bench.sql(
        "SELECT count(*) FROM incidents_incident i JOIN incidents_incidenttype t "
        "ON t.id = i.type_id WHERE t.code = 'home_fire_alarm'"
    )
    ((opened, joined, most, homes_hit),) = bench.sql(
        "SELECT coalesce(sum(opened), 0), coalesce(sum(joined), 0), "
        "coalesce(max(incidents), 0), count(household_id) FROM ("
        "  SELECT household_id, count(DISTINCT incident_id) AS incidents, "
        "  count(*) FILTER (WHERE outcome = 'incident') AS opened, "
        "  count(*) FILTER (WHERE outcome = 'joined') AS joined "
        "  FROM alarms_alarmevent WHERE kind = 'alarm' GROUP BY household_id) e"
    )
    print(
        f"{'homes':>7} {'incidents':>10} {'opened':>7} {'joins':>6} {'per home max':>13} "
        f"{'opened +s':>10} {'incidents/s':>12}"
    )
    print(
        f"{homes_hit:>7} {incidents:>10} {opened:>7} {joined:>6} {most:>13} "
        f"{opened_at - sent['published']:>10.1f} "
        f"{incidents / max(opened_at - sent['began'], 1e-9):>12.1f}"
    )
    if desk:
        print(
            "desk during the storm (dispatcher of the region, in-process client, "
            f"{DeskTimer.PAUSE:.2f} s between fetches):"
        )
        print(f"{'list':>5} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'not 200':>8}")
        for name, values in desk.times.items():
            failed = sum(n for key, n in desk.failed.items() if key.startswith(name))
            print(
                f"{name:>5} {len(values):>5} {pct(values, 0.5):>8.0f} {pct(values, 0.99):>8.0f} "
                f"{max(values, default=float('nan')):>8.0f} {failed:>8}"
            )
        print(f"the API list counted up to {desk.listed} incidents meanwhile")
        if desk.failed:
            print("desk answers not 200:", dict(desk.failed))


def faults(args: argparse.Namespace) -> None:
    """200,000 messages; kill -9 a consumer, restart the broker, restart PostgreSQL."""
    folder = temporary_folder("saqshy-ingest-faults-")
    broker = OwnBroker(folder / "mqtt")
    broker.start()
    postgres = OwnPostgres(folder / "pg") if OwnPostgres.available() else None
    database_url = args.database_url
    if postgres:
        postgres.start()
        database_url = postgres.url
    bench = Bench(args, database_url, broker.url)
    bench.probe_kinds = "alarm,heartbeat"
    events: list[str] = []
    try:
        bench.prepare()
        for name in [f"c{i}" for i in range(args.consumers)]:
            bench.start_consumer(name)
        bench.warm_up()
        run = f"f{uuid.uuid4().hex[:4]}"
        rate = args.fault_rate
        total = args.fault_messages
        result: dict[str, Any] = {}
        publishing = threading.Thread(
            target=lambda: result.update(
                bench.publishers(run, total, rate=rate, readings=args.readings)
            )
        )
        began = time.monotonic()
        publishing.start()
        span = total / rate

        def at(fraction: float) -> None:
            time.sleep(max(0.0, began + span * fraction - time.monotonic()))

        at(0.2)
        bench.kill_consumer("c0")
        events.append("kill -9 consumer c0")
        time.sleep(2)
        bench.start_consumer("c0")
        events.append("consumer c0 restarted (same client id)")
        at(0.45)
        events.append(f"broker restarted in {broker.restart():.1f} s")
        if postgres:
            at(0.7)
            events.append(f"PostgreSQL restarted in {postgres.restart():.1f} s")
        publishing.join()
        done = bench.drain(result["acked"], args.patience)
        acked = set(result["ids"])
        stored = {
            message_id
            for (message_id,) in bench.sql(
                "SELECT message_id FROM ingest_devicemessage UNION ALL "
                "SELECT message_id FROM ingest_reading"
            )
        }
        (twice_stored,), = bench.sql(
            "SELECT count(*) FROM (SELECT device_id, message_id FROM ingest_devicemessage "
            "GROUP BY 1, 2 HAVING count(*) > 1) t"
        )  # fmt: skip
        calls, twice_handled = bench.handled_twice()
        mode = "partitioned" if args.partitioned else "one shared group"
        print(
            f"\nFaults ({args.consumers} consumers, {mode}): {total} messages at {rate:.0f}/s; "
            + "; ".join(events)
        )
        print(
            f"{'acked':>7} {'unacked':>8} {'stored':>7} {'lost':>5} {'stored twice':>13} "
            f"{'handled twice':>14} {'handler calls':>14} {'drain s':>8}"
        )
        print(
            f"{len(acked):>7} {result['unacked']:>8} {len(stored & acked):>7} "
            f"{len(acked - stored):>5} {twice_stored:>13} {twice_handled:>14} {calls:>14} "
            f"{done - result['published']:>8.1f}"
        )
        lost = sorted(int(message_id.rsplit("-", 1)[1]) for message_id in acked - stored)
        tenths = Counter(min(9, index * 10 // total) for index in lost)
        print("lost by tenth of the run:", [tenths.get(k, 0) for k in range(10)])
        if not postgres:
            print("PostgreSQL restart: skipped (no initdb on this machine)")
    finally:
        bench.close()
        broker.stop()
        if postgres:
            postgres.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50000, help="per sustained run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--devices", type=int, default=36000)
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--readings", type=int, default=10, help="every N-th message a reading")
    parser.add_argument("--publishers", type=int, default=2)
    parser.add_argument(
        "--pace", type=float, default=0.0, help="publish at this many messages/s (0: flat out)"
    )
    parser.add_argument(
        "--map-every", type=int, default=50, help="every N-th device starts new (publish→map)"
    )
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--linger-ms", type=int, default=50)
    parser.add_argument(
        "--alarms-every",
        type=int,
        default=50,
        help="paced runs: every N-th message an alarm from a home of its own (alarm→map; 0: none)",
    )
    parser.add_argument("--storm-seconds", type=float, default=10.0)
    parser.add_argument(
        "--storm-households",
        type=int,
        default=0,
        help="homes (one device each) alarming in the storm (0: every device; 36,000 "
        "incidents take ≈ 9 min to open on 2 cores: fewer for a short run)",
    )
    parser.add_argument(
        "--storm-repeat", type=float, default=0.1, help="share of homes sending a second alarm"
    )
    parser.add_argument(
        "--storm-repeat-after", type=float, default=3.0, help="seconds behind the first wave"
    )
    parser.add_argument("--fault-messages", type=int, default=200000)
    parser.add_argument("--fault-rate", type=float, default=3000.0, help="messages/s")
    parser.add_argument("--patience", type=float, default=600.0, help="seconds to drain")
    parser.add_argument(
        "--partitioned",
        action="store_true",
        help="consumers in partitioned mode (plain subscriptions, --partition k/N) instead of "
        "one shared-subscription group",
    )
    parser.add_argument("--skip-storm", action="store_true")
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saqshy_bench"
        ),
        help="a PostgreSQL database the benchmark may empty, or 'own': a cluster of its own",
    )
    args = parser.parse_args()
    own_postgres = None
    if args.database_url == "own":
        own_postgres = OwnPostgres(temporary_folder("saqshy-ingest-pg-") / "pg")
        own_postgres.start()
        args.database_url = own_postgres.url
    print(f"machine: {os.cpu_count()} cores; database {args.database_url.rsplit('@', 1)[-1]}")
    folder = temporary_folder("saqshy-ingest-broker-")
    broker = OwnBroker(folder)
    broker.start()
    bench = Bench(args, args.database_url, broker.url)
    clock: CommitClock | None = None
    live: LiveWatch | None = None
    try:
        bench.prepare()
        print(f"homes: {bench.homes} installed ({bench.homes_seconds:.1f} s to prepare)")
        clock = CommitClock(args.database_url)
        if bench.redis:
            live = LiveWatch(bench.prefix, bench.region_id)
        else:
            print(f"publish→map: not measured (no Redis at {REDIS_URL})")
        for name in [f"c{i}" for i in range(args.consumers)]:
            bench.start_consumer(name)
        if not bench.warm_up():
            print("consumers stored nothing within 60 s: see", bench.folder)
            return
        sustained(bench, clock, live)
        if not args.skip_storm:
            storm(bench, clock)
    finally:
        bench.close()
        if live:
            live.close()
        if clock:
            clock.close()
        broker.stop()
    try:
        if not args.skip_faults:
            faults(args)
    finally:
        if own_postgres:
            own_postgres.stop()
    print(f"\nlogs: {bench.folder}; machine broker up: {broker_up('mqtt://127.0.0.1:1883')}")


if __name__ == "__main__":
    main()
