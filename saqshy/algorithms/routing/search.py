"""Shortest paths on a ``RoadGraph``: point-to-point routes and one-search unit ranking.

All searches are scipy's compiled Dijkstra (``scipy.sparse.csgraph.dijkstra``) over the cached
CSR matrices. Ranking units for an incident needs one search, not one per unit: a search from
the incident over the *reversed* graph yields the cost from every node to the incident, and the
unit positions are read out of that array.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import dijkstra

from saqshy.algorithms.routing.graph import FloatArray, Metric, RoadGraph


class Unreachable(Exception):
    """No path leads from the origin to the destination (or none within the cost limit)."""


@dataclass(frozen=True)
class Route:
    """A driving route.

    ``seconds`` and ``meters`` are both summed along the chosen path, whichever metric chose
    it. ``nodes`` are graph node indices from origin to destination, and ``coords`` their
    (lon, lat) positions in GeoJSON order, ready for a LineString.
    """

    seconds: float
    meters: float
    nodes: tuple[int, ...]
    coords: tuple[tuple[float, float], ...]


def _check_node(graph: RoadGraph, node: int, what: str) -> int:
    index = int(node)
    if not 0 <= index < graph.node_count:
        raise ValueError(f"{what} {node} is not a node of the graph (0..{graph.node_count - 1})")
    return index


def costs_from(
    graph: RoadGraph, node: int, metric: Metric = "time", limit: float = math.inf
) -> FloatArray:
    """Cost from ``node`` to every node (``inf`` where unreachable or beyond ``limit``)."""
    source = _check_node(graph, node, "node")
    result: FloatArray = dijkstra(graph.matrix(metric), directed=True, indices=source, limit=limit)
    return result


def costs_to(
    graph: RoadGraph, node: int, metric: Metric = "time", limit: float = math.inf
) -> FloatArray:
    """Cost from every node to ``node``: one search over the reversed graph."""
    target = _check_node(graph, node, "node")
    result: FloatArray = dijkstra(
        graph.matrix(metric, reverse=True), directed=True, indices=target, limit=limit
    )
    return result


def _edge(graph: RoadGraph, u: int, v: int) -> int:
    """Index of the forward edge u → v in the CSR arrays."""
    lo, hi = int(graph.indptr[u]), int(graph.indptr[u + 1])
    return lo + int(np.searchsorted(graph.indices[lo:hi], v))


def route(
    graph: RoadGraph,
    from_node: int,
    to_node: int,
    metric: Metric = "time",
    limit: float = math.inf,
) -> Route:
    """The cheapest route by ``metric`` from ``from_node`` to ``to_node``.

    Raises ``Unreachable`` when no path exists (or none costs at most ``limit``; a finite limit
    stops the search early, which helps when the caller only cares about nearby targets).
    """
    source = _check_node(graph, from_node, "from_node")
    target = _check_node(graph, to_node, "to_node")
    graph.weights(metric)  # validate the metric before searching
    if source == target:
        point = (float(graph.lon[source]), float(graph.lat[source]))
        return Route(0.0, 0.0, (source,), (point,))
    dist, pred = dijkstra(
        graph.matrix(metric),
        directed=True,
        indices=source,
        return_predecessors=True,
        limit=limit,
    )
    if not np.isfinite(dist[target]):
        raise Unreachable(f"no {metric} path from node {source} to node {target}")
    path = [target]
    while path[-1] != source:
        path.append(int(pred[path[-1]]))
    path.reverse()
    edges = np.fromiter(
        (_edge(graph, u, v) for u, v in itertools.pairwise(path)),
        dtype=np.int64,
        count=len(path) - 1,
    )
    if metric == "time":
        seconds, meters = graph.seconds[edges].sum(), graph.fastest_meters[edges].sum()
    else:
        seconds, meters = graph.shortest_seconds[edges].sum(), graph.meters[edges].sum()
    nodes = np.asarray(path, dtype=np.int64)
    coords = tuple(zip(graph.lon[nodes].tolist(), graph.lat[nodes].tolist(), strict=True))
    return Route(float(seconds), float(meters), tuple(path), coords)


def rank_sources(
    graph: RoadGraph,
    sources: Sequence[int] | npt.NDArray[np.integer],
    target: int,
    metric: Metric = "time",
    limit: float = math.inf,
) -> FloatArray:
    """Cost from each of ``sources`` (e.g. snapped unit positions) to ``target`` (the incident).

    One Dijkstra over the reversed graph from ``target``; the result is aligned with
    ``sources`` and is ``inf`` for a source that cannot reach the target (or not within
    ``limit``). Sort it (``np.argsort``) for "nearest units by road travel time".
    """
    index = np.asarray(sources, dtype=np.int64).reshape(-1)
    if index.size and (index.min() < 0 or index.max() >= graph.node_count):
        raise ValueError("sources must be node indices of the graph")
    result: FloatArray = costs_to(graph, target, metric, limit)[index]
    return result
