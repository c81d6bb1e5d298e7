"""Shortest paths on a ``RoadGraph``: point-to-point routes, one-to-all costs, unit ranking.

Two engines answer the same questions:

- ``"cch"``: the graph's customizable contraction hierarchy (``cch.Hierarchy``, from
  ``routingkit-cch``) for ``route`` (an up-down query plus path unpacking, ~0.05 ms on
  Astana) and ``rank_sources`` (one many-to-one sweep from the pinned unit nodes, ~0.2 ms for
  500 units).
- ``"scipy"``: scipy's compiled Dijkstra (``scipy.sparse.csgraph.dijkstra``) over the cached
  CSR matrices (~2.5 ms per search on Astana). One-to-all questions (``costs_from``,
  ``costs_to``) always use it: they take float costs exactly and an early-stopping ``limit``,
  and serve as the reference the hierarchy is tested against. Ranking by scipy is one search
  from the incident over the *reversed* graph, reading the unit nodes out of it.

``engine="auto"`` (the default) picks ``"cch"`` when ``routingkit-cch`` is installed (it is a
project dependency) and otherwise falls back to ``"scipy"`` with a ``RuntimeWarning``, once
per process, so a broken install is visible rather than just slower. Either way ``route``
returns the float sums of the graph's own edge costs along the chosen path, so its
``seconds``, ``meters`` and geometry do not depend on the engine beyond the choice among
equally short paths.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import dijkstra

from saqshy.algorithms.routing import cch
from saqshy.algorithms.routing.graph import FloatArray, Metric, RoadGraph

Engine = Literal["auto", "cch", "scipy"]
_fallback_warned = False


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


def _use_cch(engine: Engine) -> bool:
    """Whether to search with the hierarchy; warns once when ``auto`` must fall back."""
    global _fallback_warned
    if engine == "scipy":
        return False
    if cch.available():
        return True
    if engine == "cch":
        raise RuntimeError("engine='cch' needs routingkit-cch, which is not installed")
    if not _fallback_warned:
        _fallback_warned = True
        warnings.warn(
            "routingkit-cch is not installed: routing falls back to scipy Dijkstra "
            "(about 50x slower point-to-point queries)",
            RuntimeWarning,
            stacklevel=3,
        )
    return False


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
    *,
    engine: Engine = "auto",
) -> Route:
    """The cheapest route by ``metric`` from ``from_node`` to ``to_node``.

    Raises ``Unreachable`` when no path exists or the cheapest costs more than ``limit``
    (with the scipy engine a finite limit also stops the search early). ``engine`` chooses
    the search (see the module docstring); the totals are summed from the graph's float edge
    costs along the path either way.
    """
    source = _check_node(graph, from_node, "from_node")
    target = _check_node(graph, to_node, "to_node")
    graph.weights(metric)  # validate the metric before searching
    if source == target:
        point = (float(graph.lon[source]), float(graph.lat[source]))
        return Route(0.0, 0.0, (source,), (point,))
    if _use_cch(engine):
        arcs = graph.hierarchy.arc_path(source, target, metric)
        if arcs is None:
            raise Unreachable(f"no {metric} path from node {source} to node {target}")
        edges = np.array(arcs, dtype=np.intp)
        nodes = np.empty(len(arcs) + 1, dtype=np.intp)
        nodes[0] = source
        nodes[1:] = graph.indices[edges]  # each arc's head
    else:
        nodes, edges = _scipy_path(graph, source, target, metric, limit)
    if metric == "time":
        seconds, meters = graph.seconds[edges].sum(), graph.fastest_meters[edges].sum()
        cost = seconds
    else:
        seconds, meters = graph.shortest_seconds[edges].sum(), graph.meters[edges].sum()
        cost = meters
    if cost > limit:
        raise Unreachable(f"no {metric} path from node {source} to node {target} within {limit}")
    coords = tuple(zip(graph.lon[nodes].tolist(), graph.lat[nodes].tolist(), strict=True))
    return Route(float(seconds), float(meters), tuple(nodes.tolist()), coords)


def _scipy_path(
    graph: RoadGraph, source: int, target: int, metric: Metric, limit: float
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Node path and CSR edge indices of a cheapest path by one scipy Dijkstra."""
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
        dtype=np.intp,
        count=len(path) - 1,
    )
    return np.array(path, dtype=np.intp), edges


def rank_sources(
    graph: RoadGraph,
    sources: Sequence[int] | npt.NDArray[np.integer],
    target: int,
    metric: Metric = "time",
    limit: float = math.inf,
    *,
    engine: Engine = "auto",
) -> FloatArray:
    """Cost from each of ``sources`` (e.g. snapped unit positions) to ``target`` (the incident).

    The result is aligned with ``sources`` and is ``inf`` for a source that cannot reach the
    target (or not within ``limit``). Sort it (``np.argsort``) for "nearest units by road".
    With the hierarchy it is one many-to-one sweep; its costs are the hierarchy's scaled
    integers divided back, within ``path edges × 0.5 / scale`` of the float sums (for Astana
    well under a millisecond or a millimetre). With scipy it is one Dijkstra over the reversed
    graph from ``target``.
    """
    index = np.asarray(sources, dtype=np.int64).reshape(-1)
    if index.size and (index.min() < 0 or index.max() >= graph.node_count):
        raise ValueError("sources must be node indices of the graph")
    end = _check_node(graph, target, "target")
    graph.weights(metric)
    if index.size == 0:
        return np.zeros(0, dtype=np.float64)
    if _use_cch(engine):
        result = graph.hierarchy.distances_to(index.tolist(), end, metric)
        if math.isfinite(limit):
            result[result > limit] = math.inf
        return result
    found: FloatArray = costs_to(graph, end, metric, limit)[index]
    return found
