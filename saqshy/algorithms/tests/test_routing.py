"""Routing engine: one-way rules, haversine lengths, node merging, snapping, persistence,
shortest-path invariants, and an agreement check against networkx on the real Astana roads."""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.osm.model import RoadRecord
from saqshy.algorithms.routing import (
    DRIVABLE,
    EARTH_RADIUS_M,
    RoadGraph,
    Route,
    SpeedProfile,
    Unreachable,
    build_graph,
    costs_from,
    costs_to,
    direction,
    haversine_m,
    load_basemap_features,
    parse_maxspeed_kmh,
    rank_sources,
    roads_from_features,
    route,
    snap,
)

BUNDLE = Path(__file__).resolve().parents[3] / "data" / "basemap" / "astana.geojson.gz"
LON0, LAT0, STEP = 71.40, 51.10, 0.001


def pt(x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of grid position (x, y), about 70 m × 111 m per step."""
    return (round(LON0 + x * STEP, 7), round(LAT0 + y * STEP, 7))


def way(*xy: tuple[float, float], highway="residential", oneway="", junction="", maxspeed=""):
    return RoadRecord(
        osm_id=1,
        highway=highway,
        name="",
        oneway=oneway,
        junction=junction,
        maxspeed=maxspeed,
        lanes="",
        coords=tuple(pt(x, y) for x, y in xy),
    )


def node_at(graph: RoadGraph, x: float, y: float) -> int:
    lon, lat = pt(x, y)
    node, metres = graph.snap(lat, lon)
    assert metres < 0.01
    return node


def block(ab: RoadRecord) -> RoadGraph:
    """A square A(0,0) B(1,0) C(1,1) D(0,1); A–D, D–C, C–B two-way, A–B given by ``ab``."""
    return build_graph(
        [ab, way((0, 0), (0, 1)), way((0, 1), (1, 1)), way((1, 1), (1, 0))], SpeedProfile()
    )


@pytest.mark.parametrize(
    "ab",
    [
        way((1, 0), (0, 0), oneway="yes"),
        way((1, 0), (0, 0), oneway="true"),
        way((1, 0), (0, 0), oneway="1"),
        way((0, 0), (1, 0), oneway="-1"),
        way((1, 0), (0, 0), highway="motorway"),
    ],
)
def test_route_goes_around_a_one_way_block(ab: RoadRecord) -> None:
    graph = block(ab)
    a, b, c, d = (node_at(graph, *xy) for xy in [(0, 0), (1, 0), (1, 1), (0, 1)])
    assert route(graph, a, b, "distance").nodes == (a, d, c, b)
    assert route(graph, b, a, "distance").nodes == (b, a)
    assert route(graph, a, b, "time").nodes == (a, d, c, b)


def test_two_way_when_oneway_no_even_on_motorway_and_roundabout() -> None:
    for ab in [
        way((1, 0), (0, 0), highway="motorway", oneway="no"),
        way((1, 0), (0, 0), junction="roundabout", oneway="no"),
        way((1, 0), (0, 0)),
    ]:
        graph = block(ab)
        a, b = node_at(graph, 0, 0), node_at(graph, 1, 0)
        assert route(graph, a, b, "distance").nodes == (a, b)


def test_roundabout_is_one_way_in_drawing_order() -> None:
    ring = way((0, 0), (1, 0), (1, 1), (0, 1), (0, 0), junction="roundabout")
    graph = build_graph([ring])
    p = [node_at(graph, *xy) for xy in [(0, 0), (1, 0), (1, 1), (0, 1)]]
    assert graph.node_count == 4 and graph.edge_count == 4
    assert route(graph, p[1], p[0]).nodes == (p[1], p[2], p[3], p[0])
    assert route(graph, p[0], p[1]).nodes == (p[0], p[1])


def test_direction_rules() -> None:
    assert direction("residential", "", "") == "both"
    assert direction("residential", "yes", "") == "forward"
    assert direction("residential", "-1", "") == "backward"
    assert direction("primary", "", "roundabout") == "forward"
    assert direction("motorway", "", "") == "forward"
    assert direction("motorway", "no", "") == "both"
    assert direction("residential", "reversible", "") == "both"
    assert "footway" not in DRIVABLE and "service" in DRIVABLE and "trunk_link" in DRIVABLE


def test_haversine_known_values() -> None:
    one_degree = EARTH_RADIUS_M * math.pi / 180  # 111,195.08 m
    assert haversine_m(0, 0, 1, 0) == pytest.approx(one_degree, rel=1e-12)
    assert haversine_m(0, 0, 0, 1) == pytest.approx(one_degree, rel=1e-12)
    assert haversine_m(0, 0, 90, 0) == pytest.approx(EARTH_RADIUS_M * math.pi / 2, rel=1e-12)
    assert haversine_m(0, 0, 0, 180) == pytest.approx(EARTH_RADIUS_M * math.pi, rel=1e-12)
    assert one_degree == pytest.approx(111_195.08, abs=0.01)
    # Along a parallel at 60°N a degree of longitude is a bit more than half the equator's.
    assert haversine_m(60, 0, 60, 1) == pytest.approx(55_597.5, rel=1e-3)


def test_edge_lengths_and_times_follow_the_profile() -> None:
    road = way((0, 0), (0, 1), (0, 2), highway="primary", maxspeed="40")
    graph = build_graph([road], SpeedProfile(factor=0.7))
    a, c = node_at(graph, 0, 0), node_at(graph, 0, 2)
    r = route(graph, a, c)
    expected = 2 * haversine_m(LAT0, LON0, LAT0 + STEP, LON0)
    assert r.meters == pytest.approx(expected, rel=1e-12)
    assert r.seconds == pytest.approx(r.meters / (40 * 0.7 / 3.6), rel=1e-12)
    assert r.coords == (pt(0, 0), pt(0, 1), pt(0, 2))
    assert graph.edge_count == 4  # 3 vertices: 2 segments, both directions


def test_speed_profile_defaults_and_maxspeed() -> None:
    profile = SpeedProfile()
    assert profile.speed_kmh("primary") == 55
    assert profile.speed_kmh("primary", "40") == 40
    assert profile.speed_kmh("primary", "90") == 55  # only a lower limit applies
    assert profile.speed_kmh("primary", "RU:urban") == 55
    assert SpeedProfile.for_conditions("snow").speed_kmh("primary") == pytest.approx(38.5)
    assert parse_maxspeed_kmh("30 mph") == pytest.approx(48.28032)
    assert parse_maxspeed_kmh("0") is None
    with pytest.raises(ValueError):
        SpeedProfile(factor=0)


def test_parallel_ways_keep_the_cheapest_per_metric() -> None:
    slow_short = way((0, 0), (1, 0), highway="service")
    fast_long = way((0, 0), (0.5, 0.5), (1, 0), highway="trunk")
    graph = build_graph([slow_short, fast_long])
    a, b = node_at(graph, 0, 0), node_at(graph, 1, 0)
    by_distance, by_time = route(graph, a, b, "distance"), route(graph, a, b, "time")
    assert by_distance.nodes == (a, b) and len(by_time.nodes) == 3
    assert by_time.seconds < by_distance.seconds and by_time.meters > by_distance.meters


def test_vertices_merge_at_seven_decimals() -> None:
    lon, lat = pt(1, 0)
    near = RoadRecord(1, "residential", "", "", "", "", "", ((lon + 2e-8, lat), pt(2, 0)))
    graph = build_graph([way((0, 0), (1, 0)), near])
    assert graph.node_count == 3 and graph.dropped_nodes == 0
    apart = RoadRecord(1, "residential", "", "", "", "", "", ((lon + 2e-7, lat), pt(2, 0)))
    graph = build_graph([way((0, 0), (1, 0)), apart], largest_component=False)
    assert graph.node_count == 4
    with pytest.raises(Unreachable):
        route(graph, node_at(graph, 0, 0), node_at(graph, 2, 0))


def test_largest_component_drops_the_rest_and_one_way_stubs() -> None:
    graph = build_graph(
        [
            way((0, 0), (1, 0)),
            way((1, 0), (2, 0), oneway="yes"),  # a dead-end one-way stub: can't get back
            way((5, 5), (6, 5)),
            way((0, 0), (0, 1), highway="footway"),
        ]
    )
    assert graph.node_count == 2 and graph.dropped_nodes == 3


def test_unreachable_and_bad_nodes() -> None:
    graph = build_graph([way((0, 0), (1, 0)), way((5, 5), (6, 5))], largest_component=False)
    with pytest.raises(Unreachable):
        route(graph, node_at(graph, 0, 0), node_at(graph, 5, 5))
    ranked = rank_sources(graph, [node_at(graph, 0, 0), node_at(graph, 6, 5)], node_at(graph, 5, 5))
    assert math.isinf(ranked[0]) and math.isfinite(ranked[1])
    with pytest.raises(ValueError):
        route(graph, 0, graph.node_count)
    with pytest.raises(ValueError):
        route(graph, 0, 1, metric="speed")
    with pytest.raises(Unreachable):
        route(graph, node_at(graph, 5, 5), node_at(graph, 6, 5), limit=1.0)
    assert route(graph, 0, 0).nodes == (0,)


def test_snap_to_the_nearest_node() -> None:
    graph = block(way((0, 0), (1, 0)))
    lon, lat = pt(0.9, 0.2)
    node, metres = snap(graph, lat, lon)
    assert node == node_at(graph, 1, 0)
    assert metres == pytest.approx(haversine_m(lat, lon, graph.lat[node], graph.lon[node]))
    distances = haversine_m(lat, lon, graph.lat, graph.lon)
    assert metres == pytest.approx(distances.min())


def test_save_load_round_trip(tmp_path: Path) -> None:
    graph = build_graph(
        [way((1, 0), (0, 0), oneway="yes"), way((0, 0), (0, 1)), way((0, 1), (1, 1), (1, 0))],
        SpeedProfile.for_conditions("snow"),
    )
    path = tmp_path / "graph.npz"
    graph.save(path)
    loaded = RoadGraph.load(path)
    for name in ["lat", "lon", "indptr", "indices", "meters", "seconds", "rev_edge"]:
        np.testing.assert_array_equal(getattr(loaded, name), getattr(graph, name))
    assert loaded.profile == graph.profile and loaded.dropped_nodes == graph.dropped_nodes
    assert route(loaded, 0, 3) == route(graph, 0, 3)
    assert loaded.snap(*graph.lat[2:3], *graph.lon[2:3]) == (2, 0.0)


def _cost(r: Route, metric: str) -> float:
    return r.seconds if metric == "time" else r.meters


# --- Invariants on random grids ---------------------------------------------------------

SIZE = 5


@st.composite
def grid_roads(draw, allow_oneway: bool = True):
    """Random ways between neighbouring points of a SIZE × SIZE grid."""
    roads = []
    for x in range(SIZE):
        for y in range(SIZE):
            for dx, dy in [(1, 0), (0, 1), (1, 1)]:
                if x + dx >= SIZE or y + dy >= SIZE or not draw(st.booleans()):
                    continue
                oneway = draw(st.sampled_from(["", "yes", "-1"])) if allow_oneway else ""
                highway = draw(st.sampled_from(["primary", "residential", "service"]))
                roads.append(way((x, y), (x + dx, y + dy), highway=highway, oneway=oneway))
    return roads


@settings(max_examples=40, deadline=None)
@given(grid_roads(allow_oneway=False), st.data())
def test_distance_is_symmetric_on_two_way_graphs(roads, data) -> None:
    graph = build_graph(roads)
    n = graph.node_count
    if n < 2:
        return
    a = data.draw(st.integers(0, n - 1))
    b = data.draw(st.integers(0, n - 1))
    there, back = route(graph, a, b, "distance"), route(graph, b, a, "distance")
    assert there.meters == pytest.approx(back.meters, rel=1e-12)
    assert there.nodes == tuple(reversed(back.nodes)) or there.meters == pytest.approx(
        back.meters, rel=1e-12
    )


@settings(max_examples=40, deadline=None)
@given(grid_roads(), st.data(), st.sampled_from(["time", "distance"]))
def test_triangle_inequality_and_rank_sources(roads, data, metric) -> None:
    graph = build_graph(roads)
    n = graph.node_count
    if n < 2:
        return
    a, b, c = (data.draw(st.integers(0, n - 1)) for _ in range(3))

    def cost(u: int, v: int) -> float:
        r = route(graph, u, v, metric)
        return r.seconds if metric == "time" else r.meters

    assert cost(a, c) <= cost(a, b) + cost(b, c) + 1e-9
    sources = list(range(n))
    ranked = rank_sources(graph, sources, c, metric)
    # The hierarchy ranks in scaled integers: each edge of a path is off by at most half a unit.
    atol = graph.edge_count * 0.5 / graph.hierarchy.customized(metric).scale
    np.testing.assert_allclose(ranked, [cost(s, c) for s in sources], rtol=1e-9, atol=atol)
    scipy_ranked = rank_sources(graph, sources, c, metric, engine="scipy")
    np.testing.assert_allclose(scipy_ranked, [cost(s, c) for s in sources], rtol=1e-9)
    for s in sources:
        ours, reference = route(graph, s, c, metric), route(graph, s, c, metric, engine="scipy")
        assert ours.nodes[0] == s and ours.nodes[-1] == c
        assert _cost(ours, metric) == pytest.approx(_cost(reference, metric), rel=1e-9, abs=atol)
    np.testing.assert_allclose(costs_from(graph, a, metric)[c], cost(a, c), rtol=1e-9)


# --- The real Astana roads ------------------------------------------------------------------


@pytest.fixture(scope="module")
def astana() -> tuple[RoadGraph, list[dict]]:
    features = load_basemap_features(BUNDLE)
    return build_graph(roads_from_features(features)), features


def test_astana_graph_size(astana) -> None:
    graph, _ = astana
    print(
        f"Astana: {graph.node_count} nodes, {graph.edge_count} directed edges in the largest "
        f"SCC; {graph.dropped_nodes} nodes dropped; {graph.nbytes} bytes"
    )
    assert 25_000 <= graph.node_count <= 30_000
    assert 50_000 <= graph.edge_count <= 60_000
    assert 0 < graph.dropped_nodes < 0.1 * graph.node_count
    assert graph.nbytes < 5_000_000


def _networkx_graph(features: list[dict], metric: str = "distance") -> nx.DiGraph:
    """An independent build of the same edges: rounded (lon, lat) keys, haversine weights
    (metres, or seconds at the default profile's speed of the way), cheapest per pair."""
    profile = SpeedProfile()
    g = nx.DiGraph()
    for f in features:
        p = f["properties"]
        if p.get("layer") != "road" or p.get("highway") not in DRIVABLE:
            continue
        pts = [(round(lon * 1e7), round(lat * 1e7)) for lon, lat in f["geometry"]["coordinates"]]
        oneway = p.get("oneway", "")
        forward_only = oneway in ("yes", "true", "1") or (
            oneway != "no" and (p.get("junction") == "roundabout" or p["highway"] == "motorway")
        )
        backward_only = oneway == "-1"
        coords = f["geometry"]["coordinates"]
        speed = profile.speed_kmh(p["highway"], p.get("maxspeed") or "") / 3.6
        for (u, v), ((lon1, lat1), (lon2, lat2)) in zip(
            itertools.pairwise(pts), itertools.pairwise(coords), strict=True
        ):
            if u == v:
                continue
            w = float(haversine_m(lat1, lon1, lat2, lon2))
            if metric == "time":
                w /= speed
            pairs = [(u, v)] if forward_only else [(v, u)] if backward_only else [(u, v), (v, u)]
            for s, t in pairs:
                if not g.has_edge(s, t) or g[s][t]["weight"] > w:
                    g.add_edge(s, t, weight=w)
    return g


def _node_keys(graph: RoadGraph) -> list[tuple[int, int]]:
    return list(
        zip(
            np.rint(graph.lon * 1e7).astype(int).tolist(),
            np.rint(graph.lat * 1e7).astype(int).tolist(),
            strict=True,
        )
    )


@pytest.mark.parametrize(("metric", "sources", "targets"), [("distance", 20, 50), ("time", 5, 40)])
def test_astana_routes_match_networkx(astana, metric: str, sources: int, targets: int) -> None:
    """The hierarchy's routes equal a networkx Dijkstra over independently built edges to
    within 0.01 % (1,000 random pairs by distance, 200 by time). How long the check takes is
    measured in benchmarks/routing.py, not asserted here."""
    graph, features = astana
    g = _networkx_graph(features, metric)
    keys = _node_keys(graph)
    biggest = max(nx.strongly_connected_components(g), key=len)
    assert biggest == set(keys)
    assert g.subgraph(biggest).number_of_edges() == graph.edge_count
    rng = random.Random(7)
    checked = 0
    for _ in range(sources):
        source = rng.randrange(graph.node_count)
        expected = nx.single_source_dijkstra_path_length(g, keys[source], weight="weight")
        for _ in range(targets):
            target = rng.randrange(graph.node_count)
            ours = route(graph, source, target, metric)
            assert _cost(ours, metric) == pytest.approx(expected[keys[target]], rel=1e-4, abs=1e-6)
            assert ours.nodes[0] == source and ours.nodes[-1] == target
            checked += 1
    assert checked == sources * targets


@pytest.mark.parametrize("metric", ["time", "distance"])
def test_astana_hierarchy_agrees_with_scipy(astana, metric: str) -> None:
    """Ranking 500 units equals the scipy reverse search; routes equal scipy's route (cost,
    and a path whose float sum is that cost), and each path is made of real edges."""
    graph, _ = astana
    rng = np.random.default_rng(11)
    units = rng.integers(0, graph.node_count, 500)
    scale = graph.hierarchy.customized(metric).scale
    for target in rng.integers(0, graph.node_count, 10).tolist():
        reference = costs_to(graph, target, metric)[units]
        ranked = rank_sources(graph, units, target, metric)
        # Within half a scaled unit per edge of a path (a path has fewer than 2,000 edges).
        np.testing.assert_allclose(ranked, reference, rtol=1e-9, atol=2000 * 0.5 / scale)
        by_scipy = rank_sources(graph, units, target, metric, engine="scipy")
        np.testing.assert_array_equal(by_scipy, reference)
    for _ in range(50):
        a, b = (int(x) for x in rng.integers(0, graph.node_count, 2))
        ours, theirs = route(graph, a, b, metric), route(graph, a, b, metric, engine="scipy")
        assert _cost(ours, metric) == pytest.approx(_cost(theirs, metric), rel=1e-9)
        for u, v in itertools.pairwise(ours.nodes):
            assert v in graph.indices[graph.indptr[u] : graph.indptr[u + 1]]
        assert ours.coords[0] == (graph.lon[a], graph.lat[a])


def test_astana_one_way_streets_are_respected(astana) -> None:
    """On the real graph, pairs joined by a one-way edge: the way there is that edge, the way
    back is a longer detour, with both engines."""
    graph, _ = astana
    tails = np.repeat(np.arange(graph.node_count), np.diff(graph.indptr))
    pairs = set(zip(tails.tolist(), graph.indices.tolist(), strict=True))
    one_way = [(u, v) for u, v in pairs if (v, u) not in pairs]
    assert len(one_way) > 100
    for u, v in random.Random(3).sample(sorted(one_way), 20):
        there = route(graph, u, v, "distance")
        back = route(graph, v, u, "distance")
        assert there.nodes == (u, v)
        assert len(back.nodes) > 2 and back.meters > there.meters
        assert back.meters == pytest.approx(
            route(graph, v, u, "distance", engine="scipy").meters, rel=1e-9
        )


def test_astana_snap_many_equals_snap(astana) -> None:
    graph, _ = astana
    rng = np.random.default_rng(5)
    lat = rng.uniform(51.05, 51.22, 300)
    lon = rng.uniform(71.30, 71.60, 300)
    nodes, metres = graph.snap_many(lat, lon)
    for i in range(300):
        assert (int(nodes[i]), float(metres[i])) == graph.snap(float(lat[i]), float(lon[i]))


def test_hierarchy_order_is_saved_and_checked(tmp_path: Path, monkeypatch) -> None:
    from saqshy.algorithms.routing import cch

    graph = block(way((1, 0), (0, 0), oneway="yes"))
    assert graph.cch_order is None and graph.known_cch_order() is None
    order = graph.hierarchy.order
    assert sorted(order.tolist()) == list(range(graph.node_count))
    path = tmp_path / "graph.npz"
    graph.save(path)
    loaded = RoadGraph.load(path)
    np.testing.assert_array_equal(loaded.cch_order, order)
    real_compute = cch.compute_order

    def must_not_run(*args, **kwargs):
        raise AssertionError("the stored order should have been used")

    monkeypatch.setattr(cch, "compute_order", must_not_run)
    np.testing.assert_array_equal(loaded.hierarchy.order, order)
    assert route(loaded, 0, 3) == route(graph, 0, 3)
    monkeypatch.setattr(cch, "compute_order", real_compute)
    # A damaged order (not a permutation) is dropped on load and recomputed on use.
    with np.load(path) as data:
        arrays = dict(data)
    arrays["cch_order"] = np.zeros(graph.node_count, dtype=np.int32)
    np.savez(path, **arrays)
    damaged = RoadGraph.load(path)
    assert damaged.cch_order is None
    assert route(damaged, 0, 3) == route(graph, 0, 3)


def test_without_routingkit_the_scipy_engine_answers_and_warns(monkeypatch) -> None:
    from saqshy.algorithms.routing import cch, search

    graph = block(way((1, 0), (0, 0), oneway="yes"))
    a, b, c, d = (node_at(graph, *xy) for xy in [(0, 0), (1, 0), (1, 1), (0, 1)])
    with_cch = route(graph, a, b, "distance")
    ranked = rank_sources(graph, [a, c, d], b)
    monkeypatch.setattr(cch, "library", None)
    monkeypatch.setattr(search, "_fallback_warned", False)
    fresh = block(way((1, 0), (0, 0), oneway="yes"))
    with pytest.warns(RuntimeWarning, match="routingkit-cch is not installed"):
        fallback = route(fresh, a, b, "distance")
    assert fallback == with_cch and fallback.nodes == (a, d, c, b)
    np.testing.assert_allclose(rank_sources(fresh, [a, c, d], b), ranked, rtol=1e-6)
    with pytest.raises(RuntimeError, match="routingkit-cch"):
        route(fresh, a, b, engine="cch")
    with pytest.raises(RuntimeError):
        fresh.hierarchy  # noqa: B018
    assert "_hierarchy" not in fresh.__dict__


def test_hierarchy_answers_from_several_threads(astana) -> None:
    """The library's query objects belong to the thread that made them; each thread gets its
    own, so web worker threads can share one graph."""
    from concurrent.futures import ThreadPoolExecutor

    graph, _ = astana
    rng = np.random.default_rng(2)
    pairs = rng.integers(0, graph.node_count, (40, 2)).tolist()
    units = rng.integers(0, graph.node_count, 50)

    def work(pair: list[int]) -> tuple[float, list[float]]:
        a, b = pair
        return route(graph, a, b).seconds, rank_sources(graph, units, b).tolist()

    expected = [work(pair) for pair in pairs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(work, pairs)) == expected
