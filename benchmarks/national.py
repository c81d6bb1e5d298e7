"""Main lists, pages and map layers at national volumes, as a signed-in national user.

Creates the PostgreSQL database ``--db`` (default ``saqshy_national`` on 127.0.0.1:5432) if
absent, migrates it and, unless it already holds them, generates the national demo volumes
(``manage.py generate_national --scale 1``: 7,000 venues, 1,000 events, 36,000 sensors,
5,000 units, 20,000 personnel, 200,000 incidents and the last season's audit trail), timing the
generation. Then signs in as the demo's national analyst (every region, read only) and asks
each endpoint ``--requests`` times through Django's test client (the whole middleware stack,
no network and no server process), counting the queries of each request. Prints a Markdown
table: endpoint, HTTP status, queries, payload bytes, p50 and p95 in milliseconds.

Heavy on a shared machine: run it under the lock other measurements take, e.g.
``flock /tmp/saqshy-heavy.lock .venv/bin/python benchmarks/national.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENDPOINTS = [
    # (label, url)
    ("API incidents", "/api/incidents/"),
    ("API incidents, one region, closed", "/api/incidents/?region=astana&status=closed"),
    ("API units", "/api/units/"),
    ("API facilities", "/api/facilities/"),
    ("API events", "/api/events/"),
    ("API devices", "/api/devices/"),
    ("API personnel", "/api/duty/personnel/"),
    ("API audit", "/api/audit/"),
    ("API indicators", "/api/indicators/"),
    # Every indicator per region and day over a week and over the whole last season.
    ("API indicators by day, 7 days", "/api/indicators/?from={season}&to={season_week}"),
    ("API indicators by day, 62 days", "/api/indicators/?from={season}&to={season_end}"),
    (
        "page indicator chart, 62 days",
        "/indicators/duty_coverage/?from={season_dmy}&to={season_end_dmy}",
    ),
    ("page incidents", "/incidents/"),
    ("page units", "/units/"),
    ("page facilities", "/facilities/"),
    ("page events", "/events/"),
    ("page personnel", "/duty/personnel/"),
    ("page national indicators", "/indicators/national/"),
    ("map facilities (1 page of 1,000)", "/api/facilities/?format=geojson&page_size=1000"),
    ("map events from today", "/api/events/?format=geojson&page_size=1000&date_from={today}"),
    ("map units (1 page of 1,000)", "/api/units/?page_size=1000"),
    ("map open incidents", "/api/incidents/?open=true&page_size=500"),
    ("map offline sensors (zoom 6)", "/alarms/health/map/offline/"),
    ("map sensor coverage", "/alarms/health/map/coverage/"),
    ("map home alarms", "/alarms/health/map/alarm-homes/"),
    # What a national map loads instead of every page above (issue 15, 06.12.2026).
    (
        "map facilities: counts per cell (zoom 5)",
        "/api/facilities/clusters/?zoom=5&bbox=44.0,39.0,90.0,57.0",
    ),
    (
        "map events from today: counts per cell (zoom 5)",
        "/api/events/clusters/?zoom=5&bbox=44.0,39.0,90.0,57.0&date_from={today}",
    ),
    ("map units: counts per cell (zoom 5)", "/api/units/clusters/?zoom=5&bbox=44.0,39.0,90.0,57.0"),
    (
        "map facilities in a city view (zoom 13)",
        "/api/facilities/?format=geojson&page_size=1000&fields=id,kind,display_name,capacity,lat,lon"
        "&bbox=71.36,51.09,71.50,51.17",
    ),
    (
        "map facilities: counts per cell (zoom 10, a region)",
        "/api/facilities/clusters/?zoom=10&bbox=70.9,50.8,72.0,51.5",
    ),
]


def _database(name: str, host: str, port: int) -> None:
    import psycopg

    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def _setup(args: argparse.Namespace) -> float | None:
    _database(args.db, args.host, args.port)
    os.environ.setdefault("DEBUG", "true")
    os.environ["DATABASE_URL"] = f"postgres://postgres@{args.host}:{args.port}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saqshy.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from saqshy.demo import loader, national

    call_command("migrate", verbosity=0)
    generated = None
    if not national.already_generated():
        started = time.perf_counter()
        national.generate(scale=args.scale, seed=args.seed, say=print)
        generated = time.perf_counter() - started
        print(f"generated in {generated:.1f} s")
    loader.load_people()
    return generated


def _measure(client: Any, url: str, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (roles, scopes) once, as a working server has them
    times, queries, size, status = [], 0, 0, 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            times.append((time.perf_counter() - started) * 1000)
        queries, size, status = len(captured), len(content), response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "status": status,
        "queries": queries,
        "bytes": size,
        "p50": statistics.median(times),
        "p95": p95,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="saqshy_national")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", default="", help="measure endpoints whose label has this")
    args = parser.parse_args()
    generated = _setup(args)

    from django.test import Client
    from django.utils import timezone

    from saqshy.accounts.models import User
    from saqshy.core.audit_models import AuditEntry
    from saqshy.duty.models import Person
    from saqshy.facilities.models import Facility
    from saqshy.gatherings.models import Gathering
    from saqshy.incidents.models import Incident, Unit
    from saqshy.ingest.models import Device

    counts = {
        "incidents": Incident.objects.count(),
        "units": Unit.objects.count(),
        "venues": Facility.objects.count(),
        "events": Gathering.objects.count(),
        "sensors": Device.objects.count(),
        "personnel": Person.objects.count(),
        "audit entries": AuditEntry.objects.count(),
    }
    print("database:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    if generated is not None:
        print(f"generation: {generated:.1f} s")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="analyst"))
    today = timezone.localdate().isoformat()
    # The last whole season: 1 December to 31 January.
    local = timezone.localdate()
    first = dt.date(local.year - (1 if local.month > 1 else 2), 12, 1)
    last = dt.date(first.year + 1, 1, 31)
    dates = {
        "today": today,
        "season": first.isoformat(),
        "season_week": (first + dt.timedelta(days=6)).isoformat(),
        "season_end": last.isoformat(),
        "season_dmy": first.strftime("%d.%m.%Y"),
        "season_end_dmy": last.strftime("%d.%m.%Y"),
    }
    print()
    print(
        f"| endpoint (as `analyst`, {args.requests} requests) "
        "| status | queries | bytes | p50 ms | p95 ms |"
    )
    print("|---|---|---|---|---|---|")
    for label, url in ENDPOINTS:
        if args.only not in label:
            continue
        row = _measure(client, url.format(**dates), args.requests)
        print(
            f"| {label} | {row['status']} | {row['queries']} | {row['bytes']:,} | "
            f"{row['p50']:.0f} | {row['p95']:.0f} |"
        )


if __name__ == "__main__":
    main()
