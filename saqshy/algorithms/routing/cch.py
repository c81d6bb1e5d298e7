"""Customizable contraction hierarchy (CCH) over a ``RoadGraph``, via ``routingkit-cch``.

A CCH answers a point-to-point query in tens of microseconds and "many units to one incident"
in about a tenth of a millisecond on a city graph, where a full Dijkstra takes milliseconds.
It is built in three phases, each done as rarely as it can be:

1. **Order** (nested dissection on the node coordinates, ~0.4 s for Astana): depends only on
   the graph's shape, so it is saved in the graph's ``.npz`` (``RoadGraph.cch_order``) and
   computed here only for a graph that has none.
2. **Topology** (``routingkit_cch.CCH``, ~10 ms): built from the order once per process.
3. **Customization** per metric (``CCHMetric``, ~3 ms): the edge weights of ``time`` or
   ``distance``, done lazily the first time the metric is asked for.

RoutingKit weights are 32-bit integers below ``INF_WEIGHT`` (2³¹ − 1), so each metric's float
costs are scaled by ``scale`` and rounded. The scale is chosen so that no shortest path can
reach ``INF_WEIGHT`` (see ``_scale``); for Astana a unit is then about 0.12 mm or 10 µs, so the
integer search picks a path whose true float cost is optimal to far better than 0.01 %.
Callers that need exact sums (``search.route``) re-add the float edge costs along the path the
hierarchy returns; ``distances_to`` returns the scaled integers divided back.

Query objects of the library are bound to the thread that made them (PyO3 ``unsendable``), so
each thread gets its own, kept in a ``threading.local``. The order, the topology and the
customized metrics are immutable and shared.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import dijkstra

if TYPE_CHECKING:
    from saqshy.algorithms.routing.graph import FloatArray, IntArray, Metric, RoadGraph

library: Any
"""The ``routingkit_cch`` module, or ``None`` when it is not installed (tests set it to None)."""
try:  # a project dependency; the scipy engine in search.py covers an install without it
    import routingkit_cch

    library = routingkit_cch
except ImportError:  # pragma: no cover - simulated by monkeypatching ``library`` in the tests
    library = None

INF_WEIGHT = 2**31 - 1
"""RoutingKit's infinite weight: every finite path cost must stay below it."""

_HEADROOM = 4.0


def available() -> bool:
    """Whether ``routingkit-cch`` can be used in this process."""
    return library is not None


def compute_order(
    node_count: int,
    tails: npt.ArrayLike,
    heads: npt.ArrayLike,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
) -> IntArray:
    """The CCH contraction order (inertial nested dissection on the coordinates).

    Depends only on the shape of the graph, not on its weights: one order serves every metric
    and every speed profile of the same roads. Raises ``RuntimeError`` without the library.
    """
    if library is None:
        raise RuntimeError("routingkit-cch is not installed")
    order = library.compute_order_inertial(
        int(node_count),
        np.asarray(tails, dtype=np.int64).tolist(),
        np.asarray(heads, dtype=np.int64).tolist(),
        np.asarray(lat, dtype=np.float64).tolist(),
        np.asarray(lon, dtype=np.float64).tolist(),
    )
    result: IntArray = np.asarray(order, dtype=np.int32)
    return result


def valid_order(order: npt.NDArray[Any] | None, node_count: int) -> bool:
    """Whether ``order`` is a permutation of ``0..node_count-1`` (a stored order is checked)."""
    if order is None or order.shape != (node_count,):
        return False
    seen = np.zeros(node_count, dtype=bool)
    if node_count and (order.min() < 0 or order.max() >= node_count):
        return False
    seen[order] = True
    return bool(seen.all())


def _scale(graph: RoadGraph, metric: Metric) -> float:
    """Integer units per float unit, so that every shortest path stays below ``INF_WEIGHT``.

    On a strongly connected graph any shortest path u → v costs at most
    ``d(u, r) + d(r, v)`` for any node r, which two Dijkstra searches from node 0 bound; the
    shortcut weights a CCH stores on a shortest path are costs of its sub-paths, so are no
    larger. RoutingKit keeps every stored weight at most ``INF_WEIGHT`` and adds two of them
    in 32-bit unsigned arithmetic, which cannot overflow. When the graph is not strongly
    connected, the sum of all edge costs (the cost of any simple path) is the bound instead.
    ``_HEADROOM`` leaves room for the rounding of each edge.
    """
    total = float(graph.weights(metric).sum())
    bound = total
    if graph.node_count > 1 and total > 0:
        out = dijkstra(graph.matrix(metric), directed=True, indices=0)
        into = dijkstra(graph.matrix(metric, reverse=True), directed=True, indices=0)
        if np.isfinite(out).all() and np.isfinite(into).all():
            bound = min(total, float(out.max() + into.max()))
    if not bound > 0:
        return 1.0
    return (INF_WEIGHT - 1) / (_HEADROOM * bound)


@dataclass(frozen=True)
class Customized:
    """One metric's weights applied to the hierarchy: the library object and its scale."""

    metric: Any  # routingkit_cch.CCHMetric
    scale: float


class Hierarchy:
    """A CCH of one ``RoadGraph``: shared topology, one customization per metric.

    Arc ``i`` of the hierarchy is CSR edge ``i`` of the graph, so an arc path indexes the
    graph's ``meters``/``seconds`` arrays directly.
    """

    def __init__(self, graph: RoadGraph, order: npt.NDArray[Any] | None = None) -> None:
        if library is None:
            raise RuntimeError("routingkit-cch is not installed")
        self._graph = graph
        n = graph.node_count
        tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(graph.indptr))
        heads = graph.indices
        if order is None or not valid_order(order, n):
            order = compute_order(n, tails, heads, graph.lat, graph.lon)
        self.order: IntArray = np.asarray(order, dtype=np.int32)
        self._tails = tails.tolist()
        self._cch = library.CCH(self.order.tolist(), self._tails, heads.tolist(), False)
        self._metrics: dict[str, Customized] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    def customized(self, metric: Metric) -> Customized:
        """The hierarchy customized for ``metric`` (done once, on first use)."""
        found = self._metrics.get(metric)
        if found is not None:
            return found
        with self._lock:
            found = self._metrics.get(metric)
            if found is None:
                weights = self._graph.weights(metric)
                scale = _scale(self._graph, metric)
                ints = np.rint(weights * scale).astype(np.int64).tolist()
                found = Customized(library.CCHMetric(self._cch, ints), scale)
                self._metrics[metric] = found
        return found

    def _thread_objects(self) -> dict[str, Any]:
        try:
            objects: dict[str, Any] = self._local.objects
        except AttributeError:
            objects = {}
            self._local.objects = objects
        return objects

    def arc_path(self, source: int, target: int, metric: Metric) -> list[int] | None:
        """The arcs (CSR edge indices) of a cheapest route from ``source`` to a different
        ``target``, or ``None`` when the target cannot be reached. (Only the arc path is
        unpacked: the library unpacks node and arc paths separately, ~11 µs each on Astana,
        and the nodes are the arcs' heads.)"""
        objects = self._thread_objects()
        query = objects.get(metric)
        if query is None:
            query = objects[metric] = library.CCHQuery(self.customized(metric).metric)
        result = query.run(source, target)
        try:
            arcs: list[int] = result.arc_path
        finally:
            del result  # the library refuses a new run while a result is alive
        if not arcs:  # source != target, so no arc means no path
            return None
        return arcs

    def distances_to(self, sources: Sequence[int], target: int, metric: Metric) -> FloatArray:
        """Cost from each of ``sources`` to ``target`` in float units (``inf`` if none).

        Uses a many-to-one query pinned to ``sources``; the pinned set is kept per thread and
        re-pinned only when it changes (re-pinning 500 sources costs about 20 µs).
        """
        customized = self.customized(metric)
        objects = self._thread_objects()
        key = "many_to_one:" + metric
        wanted = [int(s) for s in sources]
        pinned = objects.get(key)
        if pinned is None:
            pinned = [library.CCHManyToOne(customized.metric, wanted), wanted]
            objects[key] = pinned
        elif pinned[1] != wanted:
            pinned[0].repin_sources(wanted)
            pinned[1] = wanted
        raw = pinned[0].distances_to(int(target))
        result: FloatArray = np.fromiter(
            (math.inf if d is None else d for d in raw), dtype=np.float64, count=len(raw)
        )
        result /= customized.scale
        return result
