"""New Year's Eve load test: the layout on PostgreSQL under the night's profile, stepped.

Starts the layout on its own PostgreSQL, Redis and Mosquitto (``nye_layout.py``; the
database copied once from ``--source-db``, a loaded Astana demo), prepares units, tokens and
sessions (``nye_prepare.py``), then for each number of browsing planners and analysts in
``--browsers`` runs the locust profile (``nye_load.py``: ``--maps`` open maps on the live
socket, ``--intake`` calls/s with dispatch, ``--units`` units' positions every 5 s,
browsing) for ``--seconds`` while the sensors publish heartbeats and alarms over MQTT. Prints
per step: the machine's load, requests/s and p50/p95/p99 per endpoint group and errors
(after ``--warmup`` s, which the maps' first snapshots fall into), intake→map p50/p99, the
sensors' messages stored once, and the CPU each part used (what limits the throughput).

Usage (heavy: take the machine's lock)::

    flock /tmp/saqshy-heavy.lock .venv/bin/python benchmarks/nye_run.py \\
        --source-db postgres://postgres@127.0.0.1:5432/saqshy_load --browsers 0,50,150
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nye_layout import ROOT, WORK, Layout, profile_arguments
from nye_report import format_table, table

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError):
            pass
    return total


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


def parts(layout: Layout, locust_pid: int) -> dict[str, list[int]]:
    """The processes of each part, for their CPU use."""
    postmaster = int((layout.pg.data / "postmaster.pid").read_text().split()[0])
    web = [layout.web.pid, *children(layout.web.pid)] if layout.web else []
    sockets = layout.socket_web
    return {
        "web": web,
        **({"sockets": [sockets.pid, *children(sockets.pid)]} if sockets else {}),
        "ingest": [p.pid for p in layout.ingest.values()],
        "postgres": [postmaster, *children(postmaster)],
        "redis": [layout.redis.process.pid] if layout.redis.process else [],
        "broker": [layout.broker.process.pid] if layout.broker.process else [],
        "sensors": [p.pid for p in layout.sensors],
        "locust": [locust_pid],
    }


def uptime() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_locust(
    layout: Layout, args: argparse.Namespace, users: int, seconds: float, out: Path,
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "NYE_FIXTURE": str(WORK / "fixture.json"),
        "NYE_OUT": str(out),
        "NYE_MAPS": str(args.maps),
        "NYE_INTAKE": str(args.intake),
        "NYE_FEEDERS": str(args.feeders),
        "NYE_UNITS": str(args.units),
        "NYE_POSITIONS": args.positions,
        "NYE_MQTT_URL": layout.broker.url,
        "NYE_WS_URL": layout.socket_url,
        **(extra_env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "nye_load.py"),
         "--headless", "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{int(seconds)}s",
         "--host", layout.url, "--only-summary", "--stop-timeout", "5",
         "--csv", str(out / "stats"), "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=(out / "locust.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def sensors_stored(layout: Layout, run: str, outs: list[Path]) -> dict[str, int]:
    acked: set[str] = set()
    for out in outs:
        if out.exists():
            acked |= {line for line in out.read_text().split() if line}
    rows = layout.sql(
        "SELECT message_id, count(*) FROM ingest_devicemessage WHERE payload->>'run' = %s "
        "GROUP BY message_id",
        (run,),
    )
    stored = {str(m): int(n) for m, n in rows}
    alarms = layout.sql(
        "SELECT count(*) FROM ingest_devicemessage WHERE payload->>'run' = %s AND kind = 'alarm'",
        (run,),
    )[0][0]
    return {
        "acked": len(acked),
        "stored": len(stored),
        "lost": len(acked - set(stored)),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "alarms": int(alarms),
    }


def step(layout: Layout, args: argparse.Namespace, browsers: int) -> dict[str, Any]:
    users = args.maps + args.intake + args.feeders + browsers
    out = WORK / "out" / f"b{browsers}"
    seconds = args.warmup + args.seconds
    run, outs = layout.start_sensors(
        rate=args.sensor_rate, seconds=seconds, alarms_every=args.alarms_every
    )
    load_before = uptime()
    process = run_locust(layout, args, users, seconds, out)
    time.sleep(args.warmup)
    pids = parts(layout, process.pid)
    began = {name: cpu_seconds(p) for name, p in pids.items()}
    t0 = time.monotonic()
    time.sleep(max(args.seconds - 2, 1))
    wall = time.monotonic() - t0
    cpu = {name: (cpu_seconds(p) - began[name]) / wall * 100 for name, p in pids.items()}
    load_during = uptime()
    process.wait()
    layout.wait_sensors()
    outcome = json.loads((out / "outcome.json").read_text())
    samples = [tuple(s) for s in outcome["samples"]]
    first = min((s[0] for s in samples), default=time.time())
    start, end = first + args.warmup, max((s[0] for s in samples), default=first)
    rows = table(samples, start, end)
    return {
        "browsers": browsers,
        "users": users,
        "rows": rows,
        "cpu": cpu,
        "load": (load_before, load_during),
        "sensors": sensors_stored(layout, run, outs),
        "calls": len(outcome["calls"]),
        "unseen": sum(1 for c in outcome["calls"].values() if c["seen"] < args.maps),
        "busy": sum(outcome.get("unit_busy", {}).values()),
        "seconds": end - start,
    }


def report(result: dict[str, Any], maps: int) -> str:
    lines = [
        f"--- browsers {result['browsers']} (locust users {result['users']}), "
        f"{result['seconds']:.0f} s measured; load avg before {result['load'][0]}, "
        f"during {result['load'][1]}",
        format_table(result["rows"]),
        "CPU % of one core: "
        + ", ".join(f"{name} {value:.0f}" for name, value in result["cpu"].items()),
        f"calls {result['calls']}, not pushed to all {maps} maps: {result['unseen']}; "
        f"another unit sent (409, the first still returning): {result['busy']}; "
        f"sensors: {result['sensors']}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default="1", help="steps: shares of the night's maps, calls and units"
    )
    parser.add_argument("--seconds", type=float, default=60)
    profile_arguments(parser)
    args = parser.parse_args()
    layout = Layout(
        workers=args.workers, consumers=args.consumers, source_db=args.source_db,
        sockets=args.sockets,
    )  # fmt: skip
    try:
        layout.start()
        layout.prepare(WORK / "fixture.json", args.units, args.maps)
        layout.start_web()
        full = argparse.Namespace(**vars(args))
        for scale in [float(x) for x in args.scales.split(",")]:
            # A share of the night: maps, calls/s, units (and their feeders) scaled together.
            for name in ("maps", "intake", "feeders", "units"):
                setattr(args, name, max(1, round(getattr(full, name) * scale)))
            for browsers in [int(b) for b in args.browsers.split(",")]:
                result = step(layout, args, browsers)
                print(f"=== scale {scale:g} of the night: {args.maps} maps, {args.intake} "
                      f"calls/s, {args.units} units", flush=True)  # fmt: skip
                print(report(result, args.maps), flush=True)
            push = [r for r in result["rows"] if r["name"] == "push: intake→map"]
            if push:
                print(f"intake→map p50 {push[0]['p50']:.0f} ms, p99 {push[0]['p99']:.0f} ms")
    finally:
        layout.stop()


if __name__ == "__main__":
    main()
