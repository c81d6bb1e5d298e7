"""Routes and travel times on the national highway network, around closed segments.

The network is small (about 1,400 segments between 900 junctions for Kazakhstan), so each
question builds its sparse matrix without the segments it may not use and runs scipy's
compiled Dijkstra: about a millisecond, and closures apply the moment they change. A point
anywhere (a stranded bus, a warming point in a village) is placed on its nearest segment, at
a fraction of its length; its cost to the network is the way along that segment to either end
plus the straight line from the point to the road at ``access_kmh``. A segment one stands on
may be driven to its ends even when it is closed (that is how people leave it).

No Django here: segments come in as ``HighwayEdge`` and answers go out as dataclasses.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

FloatArray = npt.NDArray[np.float64]
EARTH_RADIUS_M = 6_371_008.8
TIE_M = 50.0
"""Segments whose nearest points are this close count as equally near (a junction)."""
ACCESS_KMH = 30.0
"""Speed of the leg between a point and its nearest road (tracks, yards, village streets)."""


@dataclass(frozen=True)
class HighwayEdge:
    """One segment: its id, the junctions at its ends, its length, speed and shape."""

    id: int
    a: int
    b: int
    length_m: float
    speed_kmh: float
    coords: tuple[tuple[float, float], ...]  # (lon, lat), from a to b

    @property
    def seconds(self) -> float:
        return self.length_m / (self.speed_kmh / 3.6) if self.speed_kmh > 0 else math.inf


@dataclass(frozen=True)
class Position:
    """A point placed on the network: on ``edge`` at ``fraction`` (0 at a, 1 at b) of its
    length, ``offset_m`` metres from the road."""

    edge: int
    fraction: float
    offset_m: float


@dataclass(frozen=True)
class HighwayRoute:
    """A route: the segments driven in order (the first and last possibly in part), totals,
    and the shape as (lon, lat) points."""

    edges: tuple[int, ...]
    seconds: float
    meters: float
    coords: tuple[tuple[float, float], ...]


class NoRoute(Exception):
    """No open way leads there. ``blocking`` are the segments (ids) that the way would take if
    they were open: the closures to name to the user (empty when the places are simply not
    connected)."""

    def __init__(self, message: str, blocking: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.blocking = blocking


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class Network:
    """The highway graph: segments by id, junctions renumbered 0..n-1."""

    edges: tuple[HighwayEdge, ...]
    access_kmh: float = ACCESS_KMH
    _node_index: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        nodes = sorted({e.a for e in self.edges} | {e.b for e in self.edges})
        self._node_index = {node: i for i, node in enumerate(nodes)}

    @classmethod
    def build(cls, edges: Iterable[HighwayEdge], access_kmh: float = ACCESS_KMH) -> Network:
        return cls(tuple(edges), access_kmh)

    @cached_property
    def by_id(self) -> dict[int, HighwayEdge]:
        return {e.id: e for e in self.edges}

    @property
    def node_count(self) -> int:
        return len(self._node_index)

    # --- placing points ---

    @cached_property
    def _pieces(
        self,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """Every straight piece of every segment: (x1, y1, x2, y2) in a local metric
        projection, the segment it belongs to, and the fraction of the segment where it starts
        and ends."""
        rows: list[tuple[float, float, float, float]] = []
        owner: list[int] = []
        spans: list[tuple[float, float]] = []
        for index, edge in enumerate(self.edges):
            pts = edge.coords
            lengths = [_metres(p[1], p[0], q[1], q[0]) for p, q in itertools.pairwise(pts)]
            total = sum(lengths) or 1.0
            done = 0.0
            for (p, q), piece in zip(itertools.pairwise(pts), lengths, strict=True):
                rows.append((p[0], p[1], q[0], q[1]))
                owner.append(index)
                spans.append((done / total, (done + piece) / total))
                done += piece
        return (
            np.asarray(rows, dtype=np.float64).reshape(-1, 4),
            np.asarray(owner, dtype=np.intp),
            np.asarray(spans, dtype=np.float64).reshape(-1, 2),
        )

    def locate(self, lat: float, lon: float, avoid: Collection[int] = ()) -> Position:
        """The point of the network nearest to (``lat``, ``lon``); of the segments about as
        near (within ``TIE_M``, as all are at a junction) one not in ``avoid`` is taken."""
        rows, owner, spans = self._pieces
        if not len(rows):
            raise NoRoute("the road network is empty")
        k = math.cos(math.radians(lat))
        x1, y1 = (rows[:, 0] - lon) * k, rows[:, 1] - lat
        x2, y2 = (rows[:, 2] - lon) * k, rows[:, 3] - lat
        dx, dy = x2 - x1, y2 - y1
        norm = dx * dx + dy * dy
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(norm > 0, -(x1 * dx + y1 * dy) / norm, 0.0)
        t = np.clip(t, 0.0, 1.0)
        px, py = x1 + t * dx, y1 + t * dy
        squared = px * px + py * py
        best = int(np.argmin(squared))
        if avoid and self.edges[int(owner[best])].id in avoid:
            usable = np.fromiter(
                (self.edges[i].id not in avoid for i in owner), dtype=bool, count=len(owner)
            )
            if usable.any():
                candidate = int(np.flatnonzero(usable)[np.argmin(squared[usable])])
                gap = math.sqrt(squared[candidate]) - math.sqrt(squared[best])
                if gap * 111_195 <= TIE_M:
                    best = candidate
        edge = self.edges[int(owner[best])]
        start, end = spans[best]
        fraction = float(start + t[best] * (end - start))
        lon_on = rows[best, 0] + t[best] * (rows[best, 2] - rows[best, 0])
        lat_on = rows[best, 1] + t[best] * (rows[best, 3] - rows[best, 1])
        return Position(edge.id, fraction, _metres(lat, lon, float(lat_on), float(lon_on)))

    # --- searching ---

    def _matrix(self, excluded: Collection[int]) -> tuple[csr_matrix, dict[tuple[int, int], int]]:
        """Travel seconds between junctions over the usable segments (both ways), and which
        segment joins each pair (the quickest, when several do)."""
        best: dict[tuple[int, int], HighwayEdge] = {}
        for edge in self.edges:
            if edge.id in excluded or edge.a == edge.b:
                continue
            u, v = self._node_index[edge.a], self._node_index[edge.b]
            for key in ((u, v), (v, u)):
                held = best.get(key)
                if held is None or edge.seconds < held.seconds:
                    best[key] = edge
        n = self.node_count
        if not best:
            return csr_matrix((n, n)), {}
        keys = list(best)
        rows = np.fromiter((k[0] for k in keys), dtype=np.int32, count=len(keys))
        cols = np.fromiter((k[1] for k in keys), dtype=np.int32, count=len(keys))
        data = np.fromiter((best[k].seconds for k in keys), dtype=np.float64, count=len(keys))
        # A zero-length segment still joins its ends: csgraph reads an explicit 0 as no edge.
        data = np.maximum(data, 1e-6)
        return csr_matrix((data, (rows, cols)), shape=(n, n)), {k: best[k].id for k in keys}

    def _ends(self, position: Position) -> list[tuple[int, float]]:
        """(junction index, seconds) from a placed point to each end of its segment."""
        edge = self.by_id[position.edge]
        access = position.offset_m / (self.access_kmh / 3.6)
        return [
            (self._node_index[edge.a], access + position.fraction * edge.seconds),
            (self._node_index[edge.b], access + (1 - position.fraction) * edge.seconds),
        ]

    def travel_seconds(
        self,
        origin: tuple[float, float],
        targets: Sequence[tuple[float, float]],
        closed: Collection[int] = (),
    ) -> list[float]:
        """Seconds by road from ``origin`` (lat, lon) to each of ``targets`` (``inf`` where
        no open way leads), not using the ``closed`` segments beyond the origin's own."""
        if not targets:
            return []
        start = self.locate(*origin)
        matrix, _ = self._matrix(set(closed) - {start.edge})
        ends = self._ends(start)
        dist = dijkstra(matrix, directed=True, indices=[node for node, _ in ends])
        out: list[float] = []
        for target in targets:
            place = self.locate(*target, avoid=closed)
            best = math.inf
            # A point on another closed segment is out of reach (only its own people leave).
            blocked = place.edge in closed and place.edge != start.edge
            target_ends = [] if blocked else self._ends(place)
            for row, (_, to_end) in enumerate(ends):
                for node, from_end in target_ends:
                    best = min(best, to_end + float(dist[row, node]) + from_end)
            if place.edge == start.edge:
                edge = self.by_id[start.edge]
                along = abs(place.fraction - start.fraction) * edge.seconds
                access = (start.offset_m + place.offset_m) / (self.access_kmh / 3.6)
                best = min(best, along + access)
            out.append(best)
        return out

    def route(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        closed: Collection[int] = (),
    ) -> HighwayRoute:
        """The quickest route from ``origin`` to ``destination`` (lat, lon) that uses no
        ``closed`` segment (except along the origin's own to leave it); ``NoRoute`` names the
        closed segments in the way when there is none."""
        start, end = self.locate(*origin, avoid=closed), self.locate(*destination, avoid=closed)
        usable = set(closed) - {start.edge}
        try:
            return self._route(start, end, usable)
        except NoRoute:
            if not usable:
                raise
            try:
                ignoring = self._route(start, end, set())
            except NoRoute:
                raise NoRoute("the places are not connected by road") from None
            blocking = tuple(e for e in ignoring.edges if e in usable)
            raise NoRoute("closed segments are in the way", blocking) from None

    def _route(self, start: Position, end: Position, excluded: set[int]) -> HighwayRoute:
        if end.edge in excluded:
            raise NoRoute("the destination is on a closed segment", ())
        matrix, joins = self._matrix(excluded)
        starts, finishes = self._ends(start), self._ends(end)
        dist, pred = dijkstra(
            matrix,
            directed=True,
            indices=[node for node, _ in starts],
            return_predecessors=True,
        )
        best = (math.inf, -1, -1)
        for row, (_, to_end) in enumerate(starts):
            for node, from_end in finishes:
                cost = to_end + float(dist[row, node]) + from_end
                if cost < best[0]:
                    best = (cost, row, node)
        edge = self.by_id[start.edge]
        access = (start.offset_m + end.offset_m) / (self.access_kmh / 3.6)
        same = start.edge == end.edge
        direct = abs(end.fraction - start.fraction) * edge.seconds + access if same else math.inf
        if direct <= best[0] and same:
            piece = _sub_line(edge.coords, start.fraction, end.fraction)
            metres = abs(end.fraction - start.fraction) * edge.length_m
            return HighwayRoute((edge.id,), direct, metres, piece)
        cost, row, last = best
        if not math.isfinite(cost):
            raise NoRoute("no open road leads there")
        nodes = [last]
        while nodes[-1] != starts[row][0]:
            nodes.append(int(pred[row, nodes[-1]]))
        nodes.reverse()
        path = [joins[(u, v)] for u, v in itertools.pairwise(nodes)]
        first, final = self.by_id[start.edge], self.by_id[end.edge]
        start_node = starts[row][0]
        # The part of the origin's segment driven to reach the first junction, and of the
        # destination's segment from the last junction.
        head = (
            _sub_line(first.coords, start.fraction, 0.0)
            if self._node_index[first.a] == start_node
            else _sub_line(first.coords, start.fraction, 1.0)
        )
        tail = (
            _sub_line(final.coords, 0.0, end.fraction)
            if self._node_index[final.a] == last
            else _sub_line(final.coords, 1.0, end.fraction)
        )
        coords: list[tuple[float, float]] = list(head)
        head_m = (
            start.fraction if self._node_index[first.a] == start_node else 1 - start.fraction
        ) * first.length_m
        metres = head_m
        for u, edge_id in zip(nodes, path, strict=False):
            seg = self.by_id[edge_id]
            pts = seg.coords if self._node_index[seg.a] == u else tuple(reversed(seg.coords))
            coords.extend(pts[1:] if coords else pts)
            metres += seg.length_m
        coords.extend(tail[1:] if coords else tail)
        tail_m = (end.fraction if self._node_index[final.a] == last else 1 - end.fraction) * (
            final.length_m
        )
        metres += tail_m
        # The end segments count only where some of them is driven (not from a junction).
        driven = [first.id] if head_m > 0 else []
        driven += [*path, *([final.id] if tail_m > 0 else [])]
        edges = tuple(dict.fromkeys(driven))
        return HighwayRoute(edges, cost, metres, tuple(coords))


def _sub_line(
    coords: Sequence[tuple[float, float]], f_from: float, f_to: float
) -> tuple[tuple[float, float], ...]:
    """The part of a polyline between two fractions of its length, from ``f_from`` to
    ``f_to`` (reversed when ``f_to < f_from``)."""
    reverse = f_to < f_from
    lo, hi = (f_to, f_from) if reverse else (f_from, f_to)
    lengths = [_metres(p[1], p[0], q[1], q[0]) for p, q in itertools.pairwise(coords)]
    total = sum(lengths) or 1.0
    out: list[tuple[float, float]] = []
    done = 0.0

    def at(i: int, t: float) -> tuple[float, float]:
        p, q = coords[i], coords[i + 1]
        return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

    for i, piece in enumerate(lengths):
        a, b = done / total, (done + piece) / total
        done += piece
        if b < lo or a > hi:
            continue
        t0 = 0.0 if piece == 0 else max(0.0, (lo - a) / (b - a or 1))
        t1 = 1.0 if piece == 0 else min(1.0, (hi - a) / (b - a or 1))
        if not out:
            out.append(at(i, t0))
        out.append(at(i, t1))
    if not out:
        out = [coords[0]]
    return tuple(reversed(out)) if reverse else tuple(out)
