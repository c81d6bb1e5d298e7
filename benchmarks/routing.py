"""Benchmark the routing engine on the Astana roads against networkx, plain scipy and
(optionally) routingkit-cch.

Usage: ``python benchmarks/routing.py [path.geojson.gz] [--samples N] [--nx-incidents K]``.
Prints one table of median and p95 wall times (milliseconds, one core) and asserts nothing.
``routingkit-cch`` is an optional column: ``pip install routingkit-cch==0.1.4`` to include it
(it is deliberately not a project dependency).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from saqshy.algorithms.routing import (
    RoadGraph,
    build_graph,
    costs_from,
    load_basemap_features,
    rank_sources,
    roads_from_features,
    route,
)

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "basemap" / "astana.geojson.gz"
UNITS = 500


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Wall times in ms of ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def stats(samples: list[float] | None) -> str:
    """``median / p95`` in ms, or a dash."""
    if not samples:
        return "—"
    p95 = float(np.percentile(samples, 95))
    return f"{statistics.median(samples):9.3f} / {p95:9.3f}"


def networkx_graph(graph: RoadGraph) -> nx.DiGraph:
    """The same edges as a networkx DiGraph with ``seconds`` weights."""
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.node_count))
    tails = np.repeat(np.arange(graph.node_count), np.diff(graph.indptr))
    g.add_weighted_edges_from(
        zip(tails.tolist(), graph.indices.tolist(), graph.seconds.tolist(), strict=True),
        weight="seconds",
    )
    return g


class Cch:
    """routingkit-cch wrapped for the benchmark (weights are integer milliseconds)."""

    def __init__(self, rk: Any, graph: RoadGraph) -> None:
        tails = np.repeat(np.arange(graph.node_count), np.diff(graph.indptr)).tolist()
        heads = graph.indices.tolist()
        order = rk.compute_order_inertial(
            graph.node_count, tails, heads, graph.lat.tolist(), graph.lon.tolist()
        )
        self.cch = rk.CCH(order, tails, heads, False)
        self.metric = rk.CCHMetric(self.cch, np.rint(graph.seconds * 1000).astype(int).tolist())
        self.query = rk.CCHQuery(self.metric)
        self.rk = rk
        self.all_nodes = list(range(graph.node_count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument(
        "--nx-incidents", type=int, default=3, help="incidents for networkx per-unit ranking"
    )
    args = parser.parse_args()
    rng = random.Random(42)

    start = time.perf_counter()
    features = load_basemap_features(args.path)
    read_s = time.perf_counter() - start
    roads = list(roads_from_features(features))
    build_ms = timed(lambda: build_graph(roads), 3)
    graph = build_graph(roads)
    n = graph.node_count
    tmp = Path("/tmp/saqshy_routing_bench.npz")
    graph.save(tmp)
    load_ms = timed(lambda: RoadGraph.load(tmp).matrix("time"), 5)
    npz_bytes = tmp.stat().st_size
    tmp.unlink()
    graph.matrix("time")
    graph.matrix("time", reverse=True)

    gc.collect()
    tracemalloc.start()
    nx_start = time.perf_counter()
    g = networkx_graph(graph)
    nx_build_ms = (time.perf_counter() - nx_start) * 1000
    nx_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    g_rev = g.reverse(copy=False)

    try:
        import routingkit_cch as rk  # optional, not a project dependency

        rk_start = time.perf_counter()
        cch: Cch | None = Cch(rk, graph)
        rk_prep_ms: float | None = (time.perf_counter() - rk_start) * 1000
        rk_note = ""
    except ImportError as error:
        cch, rk_prep_ms = None, None
        rk_note = f"routingkit-cch column skipped: {error}"

    tails = np.repeat(np.arange(n), np.diff(graph.indptr))
    plain = csr_matrix((graph.seconds, (tails, graph.indices)), shape=(n, n))

    samples = args.samples
    sources = [rng.randrange(n) for _ in range(samples)]
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(samples)]
    it = iter(sources * 4)

    def nxt() -> int:
        return next(it)

    rows: dict[str, list[list[float] | None]] = {}
    # one-to-all by time
    rows["one-to-all (time)"] = [
        timed(lambda: costs_from(graph, nxt()), samples),
        timed(lambda: dijkstra(plain, directed=True, indices=nxt()), samples),
        timed(
            lambda: nx.single_source_dijkstra_path_length(g, nxt(), weight="seconds"),
            min(samples, 20),
        ),
        None,
        None,
    ]
    if cch is not None:
        one_to_all = rk.CCHOneToMany(cch.metric, cch.all_nodes)
        it = iter(sources)
        rows["one-to-all (time)"][3] = timed(lambda: one_to_all.distances_from(nxt()), samples)
        del one_to_all

    # rank 500 units for one incident
    units = [rng.randrange(n) for _ in range(UNITS)]
    incidents = [rng.randrange(n) for _ in range(samples)]
    it = iter(incidents * 4)
    ours_rank = timed(lambda: rank_sources(graph, units, nxt(), "time"), samples)

    def nx_reverse() -> None:
        costs = nx.single_source_dijkstra_path_length(g_rev, nxt(), weight="seconds")
        [costs.get(u, float("inf")) for u in units]

    nx_one = timed(nx_reverse, min(samples, 20))

    def nx_per_unit() -> None:
        target = nxt()
        for u in units:
            nx.bidirectional_dijkstra(g, u, target, weight="seconds")

    nx_units = timed(nx_per_unit, args.nx_incidents)
    rk_rank = None
    if cch is not None:
        many_to_one = rk.CCHManyToOne(cch.metric, units)
        rk_rank = timed(lambda: many_to_one.distances_to(nxt()), samples)
        del many_to_one
    rows["rank 500 units → 1 incident"] = [ours_rank, None, nx_units, rk_rank, nx_one]

    # point-to-point route with path
    pit = iter(pairs * 4)
    ours_p2p = timed(lambda: route(graph, *next(pit)), samples)
    nx_p2p = timed(
        lambda: nx.bidirectional_dijkstra(g, *next(pit), weight="seconds"), min(samples, 30)
    )
    rk_p2p = None
    if cch is not None:
        rk_p2p = timed(lambda: cch.query.run(*next(pit)).node_path, samples)
    rows["point-to-point route"] = [ours_p2p, None, nx_p2p, rk_p2p, None]

    # Sanity: the engines agree on a route's time.
    s, t = pairs[0]
    ours_s = route(graph, s, t).seconds
    nx_s = nx.bidirectional_dijkstra(g, s, t, weight="seconds")[0]
    agree = f"check: route {s}->{t} ours {ours_s:.2f} s, networkx {nx_s:.2f} s"
    if cch is not None:
        agree += f", routingkit-cch {cch.query.run(s, t).distance / 1000:.2f} s (integer ms)"

    print(f"Astana graph ({args.path}): {n} nodes, {graph.edge_count} directed edges, ")
    print(f"  {graph.dropped_nodes} nodes outside the largest SCC dropped; samples={samples}")
    print()
    head = ["ours (scipy)", "plain scipy", "networkx", "routingkit-cch", "nx 1 reverse"]
    print(f"{'median / p95 ms':30}" + "".join(f"{h:>24}" for h in head))
    for name, cols in rows.items():
        print(f"{name:30}" + "".join(f"{stats(c):>24}" for c in cols))
    print(
        "  (rank, networkx column: per-unit bidirectional_dijkstra × 500, "
        f"{args.nx_incidents} incidents)"
    )
    print()
    print("preprocessing")
    print(f"  read GeoJSON bundle            {read_s * 1000:10.1f} ms")
    print(f"  build_graph (ours)             {stats(build_ms)} ms")
    print(f"  load .npz + CSR (ours)         {stats(load_ms)} ms   file {npz_bytes / 1e6:.2f} MB")
    print(f"  graph arrays (ours)            {graph.nbytes / 1e6:10.2f} MB")
    print(f"  networkx DiGraph build         {nx_build_ms:10.1f} ms   {nx_bytes / 1e6:.1f} MB")
    if rk_prep_ms is not None:
        print(f"  routingkit-cch order+CCH+metric{rk_prep_ms:10.1f} ms")
    if rk_note:
        print(rk_note)
    print(agree)


if __name__ == "__main__":
    main()
