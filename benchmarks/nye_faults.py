"""Faults during the New Year's Eve load: what each costs and whether anything is lost.

The layout of ``nye_run.py`` (its own PostgreSQL, Redis and Mosquitto, so restarting them
touches nothing else on the machine) under the locust profile (``nye_load.py``; by default
lighter than the full night so the recovery measured is the fault's, not saturation's) and
the MQTT sensors. Every ``--spacing`` seconds one fault, in this order:

- ``web worker killed``: SIGKILL to one gunicorn worker (gunicorn starts another);
- ``consumer killed``: SIGKILL to ``ingest_mqtt`` partition 1 (the layout starts it again
  after 1 s, under the same client id: the broker kept what it had not acknowledged);
- ``PostgreSQL restarted``: ``pg_ctl restart -m fast`` of the layout's cluster (what
  ``pg_ctlcluster … restart`` does to the machine's);
- ``Redis restarted``: stopped and started empty (no persistence: the channel layer's groups
  are gone; the sockets close with 1012 and the maps reconnect and reload);
- ``broker restarted``: Mosquitto stopped (it saves its state) and started.

Each fault's window gets its own sensor run (heartbeats with alarms). Per fault it reports:
recovery, the longest of (a) requests: the last failed request or socket error after the
fault, (b) maps: from the fault to the first call after which every call reached every map,
(c) ingest: the longest publish→stored delay of the window's sensor messages; and lost /
duplicated: calls (every call posted with an Idempotency-Key must exist exactly once), the
sensors' messages acknowledged by the broker (stored exactly once) and the alarm events
(handled exactly once). At the end, positions: units whose stored position is not the last
fix the server acknowledged.

Usage (heavy: take the machine's lock)::

    flock /tmp/saqshy-heavy.lock .venv/bin/python benchmarks/nye_faults.py \\
        --source-db postgres://postgres@127.0.0.1:5432/saqshy_load
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nye_layout import WORK, Layout, profile_arguments
from nye_report import calls_lost_and_duplicated, positions_lost, recovery
from nye_run import run_locust, sensors_stored, uptime

# Seconds from a call's post to every open map (the budget for intake to map).
PUSH_BUDGET = 1.0


def faults(layout: Layout) -> list[tuple[str, Callable[[], float]]]:
    return [
        ("web worker killed", layout.kill_web_worker),
        ("consumer killed", layout.kill_consumer),
        ("PostgreSQL restarted", layout.restart_postgres),
        ("Redis restarted", layout.restart_redis),
        ("broker restarted", layout.restart_broker),
    ]


def ingest_delay(layout: Layout, run: str) -> float:
    """The longest publish→stored delay (s) of the run's messages."""
    rows = layout.sql(
        "SELECT max(extract(epoch FROM received_at) - (payload->>'sent')::float8) "
        "FROM ingest_devicemessage WHERE payload->>'run' = %s",
        (run,),
    )
    return float(rows[0][0] or 0.0)


def alarms_handled(layout: Layout, run: str) -> tuple[int, int]:
    """Alarm messages of the run without an alarm event, and with more than one."""
    rows = layout.sql(
        "SELECT m.id, count(e.id) FROM ingest_devicemessage m "
        "LEFT JOIN alarms_alarmevent e ON e.device_id = m.device_id "
        "AND e.message_id = m.message_id "
        "WHERE m.payload->>'run' = %s AND m.kind = 'alarm' GROUP BY m.id",
        (run,),
    )
    return sum(1 for _m, n in rows if n == 0), sum(1 for _m, n in rows if n > 1)


def settle(layout: Layout, runs: list[str], patience: float = 120) -> None:
    """Wait until the consumers have stored and handled the sensors' messages."""
    last, since = -1, time.monotonic()
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        rows = layout.sql(
            "SELECT count(*), count(handled_at) FROM ingest_devicemessage "
            "WHERE payload->>'run' = ANY(%s)",
            (runs,),
        )
        stored, handled = rows[0]
        if stored != last:
            last, since = stored, time.monotonic()
        elif stored == handled and time.monotonic() - since > 5:
            return
        time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spacing", type=float, default=45, help="seconds between faults")
    profile_arguments(
        parser, warmup=30, maps=50, intake=5, feeders=25, units=500, browsers="10",
        spawn_rate=50, sensor_rate=100.0, alarms_every=100,
    )  # fmt: skip
    args = parser.parse_args()
    layout = Layout(workers=args.workers, consumers=args.consumers, source_db=args.source_db)
    out = WORK / "out" / "faults"
    results: list[dict[str, Any]] = []
    try:
        layout.start()
        layout.prepare(WORK / "fixture.json", args.units, args.maps)
        layout.start_web()
        plan = faults(layout)
        total = args.warmup + args.spacing * len(plan) + 5
        users = args.maps + args.intake + args.feeders + int(args.browsers)
        load_before = uptime()
        started = time.time()
        process = run_locust(layout, args, users, total, out)
        time.sleep(args.warmup)
        runs: list[tuple[str, list[Path]]] = []
        for name, inject in plan:
            run, outs = layout.start_sensors(
                rate=args.sensor_rate, seconds=args.spacing - 5, alarms_every=args.alarms_every
            )
            runs.append((run, outs))
            time.sleep(5)
            at = time.time()
            took = inject()
            print(f"{time.strftime('%H:%M:%S')} {name} ({took:.1f} s)", flush=True)
            results.append({"fault": name, "at": at, "took": took, "run": run})
            time.sleep(max(args.spacing - 5 - took, 1))
        load_during = uptime()
        process.wait()
        layout.wait_sensors()
        settle(layout, [run for run, _ in runs])
        outcome = json.loads((out / "outcome.json").read_text())
        # The last window ends before the maps close: a call posted in the last seconds of the
        # run cannot reach them, whatever the fault did (twice the 1 s budget).
        ends = [r["at"] for r in results[1:]] + [started + total - 2 * PUSH_BUDGET]
        stored_calls = {
            str(address)[4:]: int(n)
            for address, n in layout.sql(
                "SELECT address, count(*) FROM incidents_incident WHERE address LIKE 'NYE %%' "
                "GROUP BY address"
            )
        }
        print(f"\nload avg before {load_before}, during {load_during}; profile: {args}")
        print(
            f"{'fault':<22} {'took s':>6} {'recovery s':>10} {'requests':>8} {'maps':>6} "
            f"{'ingest':>6} {'calls lost/dup':>14} {'sensor msgs lost/dup':>20} "
            f"{'alarms lost/dup':>15}"
        )
        for result, end in zip(results, ends, strict=True):
            back = recovery(result["at"], end, outcome["calls"], outcome["failures"], args.maps)
            keys = [k for k, c in outcome["calls"].items() if result["at"] <= c["posted"] < end]
            lost, dup = calls_lost_and_duplicated(keys, stored_calls)
            sensors = sensors_stored(layout, result["run"], dict(runs)[result["run"]])
            delay = ingest_delay(layout, result["run"])
            alarms_lost, alarms_dup = alarms_handled(layout, result["run"])
            worst = max(
                back["requests"] or 0.0, back["maps"] if back["maps"] is not None else 1e9, delay
            )
            maps_text = "never" if back["maps"] is None else f"{back['maps']:.1f}"
            worst_text = "no" if worst >= 1e9 else f"{worst:.1f}"
            calls_text = f"{lost}/{dup} of {len(keys)}"
            sensors_text = f"{sensors['lost']}/{sensors['duplicated']} of {sensors['acked']}"
            alarms_text = f"{alarms_lost}/{alarms_dup} of {sensors['alarms']}"
            print(
                f"{result['fault']:<22} {result['took']:>6.1f} {worst_text:>10} "
                f"{back['requests'] or 0.0:>8.1f} {maps_text:>6} {delay:>6.1f} "
                f"{calls_text:>14} {sensors_text:>20} {alarms_text:>15}"
            )
        all_keys = list(outcome["calls"])
        lost, dup = calls_lost_and_duplicated(all_keys, stored_calls)
        stored_positions = {
            str(pk): (float(lat), float(lon))
            for pk, lat, lon in layout.sql(
                "SELECT id, lat, lon FROM incidents_unit WHERE id = ANY(%s)",
                ([int(k) for k in outcome["positions"]],),
            )
        }
        print(
            f"whole run: calls {len(all_keys)}, lost {lost}, duplicated {dup}; positions: "
            f"{len(outcome['positions'])} units, last acknowledged fix not stored for "
            f"{positions_lost(outcome['positions'], stored_positions)}; map reconnects "
            f"{len(outcome['connects']) - args.maps}; consumers started again "
            f"{layout.respawns}; failed requests {len(outcome['failures'])}"
        )
    finally:
        layout.stop()


if __name__ == "__main__":
    main()
