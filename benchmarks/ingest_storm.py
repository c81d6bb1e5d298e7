"""The alarm storm of ``benchmarks/ingest.py``: every home alarms within seconds while the
region's dispatcher works the desk (:class:`DeskTimer`)."""

from __future__ import annotations

import os
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

from ingest_bench import Bench, pct
from ingest_parts import (
    CommitClock,
    wait_until,
)


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
        self.errors: dict[str, str] = {}
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
                    except Exception as error:  # told below the table, the first of each kind
                        status = 0
                        self.errors.setdefault(type(error).__name__, repr(error)[:300])
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
            for error in desk.errors.values():
                print("desk error:", error)
