"""Benchmark road routing on the Astana roads: ours against plain scipy and networkx, side by
side in one run, and (with ``--database-url``) the HTTP latency of the recommendations API.

Usage::

    .venv/bin/python benchmarks/routing.py [path.geojson.gz] [--samples N]
        [--database-url postgres://postgres@127.0.0.1:5432/saqshy_bench] [--requests N]

"ours" is the engine as the app calls it: the customizable contraction hierarchy
(``routingkit-cch``) for point-to-point routes and unit ranking, scipy's Dijkstra for
one-to-all. "plain scipy" is ``scipy.sparse.csgraph.dijkstra`` on the same CSR arrays (for a
route: the scipy engine of ``route``, with path and sums; for ranking: one reverse search).
Every row is median / p95 wall time in milliseconds on one core. Asserts nothing.

With ``--database-url`` the database is created if missing (trust auth), migrated, and filled
once with 500 available units and 100,000 closed incidents in Astana; then
``GET /api/incidents/{id}/recommendations/`` is timed through Django's test ``Client`` (the
whole middleware, URL, DRF and ORM stack, without a socket) as a duty officer of Astana, with
``DEBUG`` off.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from saqshy.algorithms.routing import (
    Engine,
    Metric,
    RoadGraph,
    build_graph,
    cch,
    costs_from,
    load_basemap_features,
    rank_sources,
    roads_from_features,
    route,
)

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "basemap" / "astana.geojson.gz"
UNITS = 500
CLOSED_INCIDENTS = 100_000
METRICS: tuple[Metric, ...] = ("time", "distance")

Samples = list[float] | None


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Wall times in ms of ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def stats(samples: Samples) -> str:
    """``median / p95`` in ms, or a dash."""
    if not samples:
        return "—"
    p95 = float(np.percentile(samples, 95))
    return f"{fmt(statistics.median(samples))} / {fmt(p95)}"


def fmt(ms: float) -> str:
    return f"{ms:.3f}" if ms < 10 else f"{ms:,.1f}"


def rss_bytes() -> int:
    """Resident set size of this process (Linux ``/proc``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def networkx_graph(graph: RoadGraph, weights: np.ndarray) -> nx.DiGraph:
    """The same edges as a networkx DiGraph with ``w`` weights."""
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.node_count))
    tails = np.repeat(np.arange(graph.node_count), np.diff(graph.indptr))
    g.add_weighted_edges_from(
        zip(tails.tolist(), graph.indices.tolist(), weights.tolist(), strict=True), weight="w"
    )
    return g


def engine_benchmarks(args: argparse.Namespace) -> None:
    rng = random.Random(42)
    start = time.perf_counter()
    features = load_basemap_features(args.path)
    read_ms = (time.perf_counter() - start) * 1000
    roads = list(roads_from_features(features))
    del features
    build_ms = timed(lambda: build_graph(roads), 3)
    graph = build_graph(roads)
    n = graph.node_count

    # CCH phases, each timed on its own (the app stores the order with the graph).
    tails = np.repeat(np.arange(n), np.diff(graph.indptr))
    order_ms = timed(lambda: cch.compute_order(n, tails, graph.indices, graph.lat, graph.lon), 3)
    gc.collect()
    rss1 = rss_bytes()
    start = time.perf_counter()
    hierarchy = cch.Hierarchy(graph, None)
    topo_order_ms = (time.perf_counter() - start) * 1000
    order = hierarchy.order
    topology_ms = timed(lambda: cch.Hierarchy(graph, order), 5)
    custom_ms: dict[str, float] = {}
    for metric in METRICS:
        start = time.perf_counter()
        hierarchy.customized(metric)
        custom_ms[metric] = (time.perf_counter() - start) * 1000
    rss_cch = rss_bytes() - rss1
    graph.__dict__["_hierarchy"] = hierarchy  # the one the searches below use

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "astana.npz"
        graph.save(path)
        npz_bytes = path.stat().st_size
        load_ms = timed(lambda: RoadGraph.load(path), 5)

        def load_ready() -> None:
            loaded = RoadGraph.load(path)
            for metric in METRICS:
                loaded.hierarchy.customized(metric)
                loaded.matrix(metric)

        ready_ms = timed(load_ready, 5)

    for metric in METRICS:
        graph.matrix(metric)
        graph.matrix(metric, reverse=True)

    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    g = networkx_graph(graph, graph.seconds)
    nx_build_ms = (time.perf_counter() - start) * 1000
    nx_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    g_rev = g.reverse(copy=False)
    plain = csr_matrix((graph.seconds, (tails, graph.indices)), shape=(n, n))

    samples = args.samples
    nx_samples = min(samples, args.nx_samples)
    rows: dict[str, tuple[Samples, Samples, Samples]] = {}

    def cycle(values: list[Any]) -> Callable[[], Any]:
        it = iter(values * 1000)
        return lambda: next(it)

    # one-to-all by time
    nxt = cycle([rng.randrange(n) for _ in range(samples)])
    rows["one-to-all (time)"] = (
        timed(lambda: costs_from(graph, nxt()), samples),
        timed(lambda: dijkstra(plain, directed=True, indices=nxt()), samples),
        timed(lambda: nx.single_source_dijkstra_path_length(g, nxt(), weight="w"), nx_samples),
    )

    # rank 500 units for one incident
    units = [rng.randrange(n) for _ in range(UNITS)]
    nxt = cycle([rng.randrange(n) for _ in range(samples)])

    def nx_reverse() -> None:
        costs = nx.single_source_dijkstra_path_length(g_rev, nxt(), weight="w")
        [costs.get(u, float("inf")) for u in units]

    rows[f"rank {UNITS} units → 1 incident (time)"] = (
        timed(lambda: rank_sources(graph, units, nxt(), "time"), samples),
        timed(lambda: rank_sources(graph, units, nxt(), "time", engine="scipy"), samples),
        timed(nx_reverse, nx_samples),
    )
    moving = [[rng.randrange(n) for _ in range(UNITS)] for _ in range(samples)]
    nxt_units = cycle(moving)
    rows["  … units moved since last call"] = (
        timed(lambda: rank_sources(graph, nxt_units(), nxt(), "time"), samples),
        None,
        None,
    )

    # point-to-point route with its path, sums and geometry
    nxt = cycle([(rng.randrange(n), rng.randrange(n)) for _ in range(samples)])

    def ours_p2p(metric: Metric, engine: Engine = "auto") -> Callable[[], Any]:
        def run() -> Any:
            s, t = nxt()
            return route(graph, s, t, metric, engine=engine)

        return run

    rows["point-to-point route (time)"] = (
        timed(ours_p2p("time"), samples),
        timed(ours_p2p("time", "scipy"), samples),
        timed(lambda: nx.bidirectional_dijkstra(g, *nxt(), weight="w"), nx_samples),
    )
    rows["point-to-point route (distance)"] = (
        timed(ours_p2p("distance"), samples),
        timed(ours_p2p("distance", "scipy"), samples),
        None,
    )

    # Sanity: the engines agree.
    s, t = nxt()
    check = (
        f"check {s}->{t}: ours {route(graph, s, t).seconds:.4f} s, scipy "
        f"{route(graph, s, t, engine='scipy').seconds:.4f} s, networkx "
        f"{nx.bidirectional_dijkstra(g, s, t, weight='w')[0]:.4f} s"
    )

    print(f"Astana graph ({args.path}): {n:,} nodes, {graph.edge_count:,} directed edges;")
    print(f"  {graph.dropped_nodes:,} nodes outside the largest SCC dropped; samples={samples}")
    print()
    head = ["ours", "plain scipy", "networkx"]
    print(f"{'median / p95 ms':40}" + "".join(f"{h:>22}" for h in head))
    for name, cols in rows.items():
        print(f"{name:40}" + "".join(f"{stats(c):>22}" for c in cols))
    print(
        f"  networkx: {nx_samples} samples; ranking is one reverse single-source search; "
        "routes are bidirectional_dijkstra"
    )
    print()
    print("preprocessing                        median / p95 ms   memory")
    print(f"  read GeoJSON bundle              {fmt(read_ms):>20}")
    print(
        f"  build graph                      {stats(build_ms):>20}   arrays "
        f"{graph.nbytes / 1e6:.2f} MB"
    )
    print(
        f"  CCH order (inertial ND)          {stats(order_ms):>20}   "
        f"{order.nbytes / 1e6:.2f} MB, stored in the .npz"
    )
    print(f"  CCH topology (from stored order) {stats(topology_ms):>20}")
    print(f"  CCH order + topology (1st build) {fmt(topo_order_ms):>20}")
    for name, ms in custom_ms.items():
        print(f"  CCH customization ({name:8})    {fmt(ms):>20}")
    print(f"  CCH total RSS delta              {'':>20}   +{rss_cch / 1e6:.1f} MB")
    print(
        f"  load .npz (graph + order)        {stats(load_ms):>20}   file {npz_bytes / 1e6:.2f} MB"
    )
    print(f"  load .npz → ready (CCH + CSR)    {stats(ready_ms):>20}")
    print(f"  networkx DiGraph build           {fmt(nx_build_ms):>20}   {nx_bytes / 1e6:.1f} MB")
    print(check)


def http_benchmark(url: str, requests: int) -> None:
    """Time ``GET /api/incidents/{id}/recommendations/`` with 500 units and 100,000 closed
    incidents in the database at ``url``."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    # Production settings: DEBUG off (no query log, no debug pages), a throwaway key.
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SESSION_COOKIE_SECURE"] = "false"
    os.environ["CSRF_COOKIE_SECURE"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saqshy.settings")
    os.environ.setdefault("SAQSHY_VAR_DIR", tempfile.mkdtemp(prefix="saqshy-bench-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from saqshy.accounts.models import Agency, Grant, Region, Role, User
    from saqshy.demo import loader
    from saqshy.incidents.models import Incident, IncidentType, Unit

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(slug="astana").exists():
        loader.load_regions()
    astana = Region.objects.get(slug="astana")
    fire = IncidentType.objects.get(code="fire")
    kinds = list(fire.needs)
    rng = random.Random(1)
    agencies = [
        Agency.objects.get_or_create(
            code=f"bench-{kind}", defaults={"kind": "emergency", "region": astana, "name_en": kind}
        )[0]
        for kind in ("police", "emergency", "health")
    ]
    if Unit.objects.filter(region=astana, call_sign__startswith="BENCH-").count() < UNITS:
        Unit.objects.filter(call_sign__startswith="BENCH-").delete()
        Unit.objects.bulk_create(
            Unit(
                call_sign=f"BENCH-{i:04d}",
                kind=kinds[i % len(kinds)],
                agency=agencies[i % len(agencies)],
                region=astana,
                status="available",
                lat=rng.uniform(51.08, 51.20),
                lon=rng.uniform(71.33, 71.53),
                position_at=timezone.now(),
            )
            for i in range(UNITS)
        )
    closed = Incident.objects.filter(region=astana, status="closed").count()
    if closed < CLOSED_INCIDENTS:
        now = timezone.now()
        batch = []
        for i in range(CLOSED_INCIDENTS - closed):
            at = now - timedelta(minutes=10 * i + 60)
            batch.append(
                Incident(
                    type=fire,
                    region=astana,
                    lat=rng.uniform(51.08, 51.20),
                    lon=rng.uniform(71.33, 71.53),
                    status="closed",
                    reported_at=at,
                    dispatched_at=at + timedelta(minutes=2),
                    on_scene_at=at + timedelta(minutes=9),
                    closed_at=at + timedelta(minutes=40),
                )
            )
        Incident.objects.bulk_create(batch, batch_size=5000)
    incident = Incident.objects.filter(region=astana, status="new").first()
    if incident is None:
        incident = Incident.objects.create(type=fire, region=astana, lat=51.12825, lon=71.43053)
    user = User.objects.filter(username="bench_duty_astana").first()
    if user is None:
        user = User.objects.create_user(username="bench_duty_astana", password=None)
        Grant.objects.create(
            user=user, agency=agencies[0], role=Role.objects.get(slug="duty-officer"), region=astana
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    units = Unit.objects.filter(region=astana).count()
    incidents = Incident.objects.filter(region=astana).count()

    client = Client()
    client.force_login(user)
    path = f"/api/incidents/{incident.pk}/recommendations/"
    start = time.perf_counter()
    first = client.get(path)
    first_ms = (time.perf_counter() - start) * 1000
    assert first.status_code == 200, first.content[:300]
    body = first.json()
    for _ in range(5):
        client.get(path)
    samples = timed(lambda: client.get(path), requests)
    print()
    print(
        f"HTTP GET {path} via Django test Client (DEBUG off), PostgreSQL "
        f"{connection.pg_version // 10000 if hasattr(connection, 'pg_version') else '?'}"
    )
    print(
        f"  {units} units in Astana ({len(body['recommended'])} recommended, "
        f"{len(body['others'])} others), {incidents:,} incidents in Astana"
    )
    print(f"  first request (loads graph + hierarchy): {first_ms:.1f} ms")
    print(f"  {requests} requests, median / p95 ms: {stats(samples)}   (target p95 ≤ 50 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--nx-samples", type=int, default=20, help="samples for networkx")
    parser.add_argument("--database-url", help="PostgreSQL URL for the HTTP benchmark")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    print(
        "versions: "
        + ", ".join(
            f"{pkg} {version(pkg)}" for pkg in ("numpy", "scipy", "networkx", "routingkit-cch")
        )
        + f", Python {sys.version.split()[0]}"
    )
    engine_benchmarks(args)
    if args.database_url:
        http_benchmark(args.database_url, args.requests)


if __name__ == "__main__":
    main()
