"""Pure road routing for Saqshy: build a graph from OSM ways, snap points, route, rank units.

Typical use (a process builds or loads the graph once)::

    graph = build_graph_from_basemap("data/basemap/astana.geojson.gz", SpeedProfile())
    unit_nodes, metres = graph.snap_many(unit_lats, unit_lons)
    incident, _ = graph.snap(incident_lat, incident_lon)
    seconds = rank_sources(graph, unit_nodes, incident, metric="time")

Routes and rankings use the graph's customizable contraction hierarchy (``cch``, from
``routingkit-cch``; its order is saved with the graph, customizing a metric takes ~10 ms);
one-to-all costs use scipy's Dijkstra. See ``search`` for the engines and their fallback.

No Django here: callers pass plain values and get frozen dataclasses and numpy arrays back.
"""

from saqshy.algorithms.routing import cch
from saqshy.algorithms.routing.graph import (
    EARTH_RADIUS_M,
    Metric,
    RoadGraph,
    build_graph,
    build_graph_from_basemap,
    haversine_m,
    load_basemap_features,
    roads_from_features,
)
from saqshy.algorithms.routing.profile import (
    DEFAULT_SPEEDS_KMH,
    DRIVABLE,
    WEATHER_FACTORS,
    SpeedProfile,
    direction,
    parse_maxspeed_kmh,
)
from saqshy.algorithms.routing.search import (
    Engine,
    Route,
    Unreachable,
    costs_from,
    costs_to,
    rank_sources,
    route,
)


def snap(graph: RoadGraph, lat: float, lon: float) -> tuple[int, float]:
    """The node nearest to (``lat``, ``lon``) and its distance in metres (``RoadGraph.snap``)."""
    return graph.snap(lat, lon)


__all__ = [
    "DEFAULT_SPEEDS_KMH",
    "DRIVABLE",
    "EARTH_RADIUS_M",
    "WEATHER_FACTORS",
    "Engine",
    "Metric",
    "RoadGraph",
    "Route",
    "SpeedProfile",
    "Unreachable",
    "build_graph",
    "build_graph_from_basemap",
    "cch",
    "costs_from",
    "costs_to",
    "direction",
    "haversine_m",
    "load_basemap_features",
    "parse_maxspeed_kmh",
    "rank_sources",
    "roads_from_features",
    "route",
    "snap",
]
