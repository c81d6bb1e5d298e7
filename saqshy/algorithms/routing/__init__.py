"""Pure road routing for Saqshy: build a graph from OSM ways, snap points, route, rank units.

Typical use (a process builds or loads the graph once)::

    graph = build_graph_from_basemap("data/basemap/astana.geojson.gz", SpeedProfile())
    unit_nodes = [graph.snap(lat, lon)[0] for lat, lon in unit_positions]
    incident, _ = graph.snap(incident_lat, incident_lon)
    seconds = rank_sources(graph, unit_nodes, incident, metric="time")

No Django here: callers pass plain values and get frozen dataclasses and numpy arrays back.
"""

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
    "Metric",
    "RoadGraph",
    "Route",
    "SpeedProfile",
    "Unreachable",
    "build_graph",
    "build_graph_from_basemap",
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
