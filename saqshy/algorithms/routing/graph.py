"""The road graph: compact CSR arrays built once from OSM ways, saved to and loaded from ``.npz``.

A graph is a handful of numpy arrays (about 3 MB for Astana), so a web process can load it
once and answer every routing query from memory. Nodes are the distinct way vertices, merged
when their coordinates agree to 7 decimals (about 1 cm), which is how OSM ways sharing a node
become connected. The graph keeps only the largest strongly connected component, so that every
node can reach every other: a unit snapped onto a dangling one-way stub or a gated car park
would otherwise be unable to leave it.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from saqshy.algorithms.osm.model import RoadRecord
from saqshy.algorithms.routing.profile import DRIVABLE, SpeedProfile, direction

if TYPE_CHECKING:
    from saqshy.algorithms.routing.cch import Hierarchy

EARTH_RADIUS_M = 6_371_008.8
"""IUGG mean Earth radius R₁, the sphere used for every distance in Saqshy."""

Metric = Literal["time", "distance"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

_FORMAT = 1  # ``cch_order`` is an optional member: older files still load
_HIERARCHY_LOCK = threading.Lock()
_SCALE = 10_000_000  # 7 decimals
_LON_OFFSET = 1_800_000_000
_LAT_OFFSET = 900_000_000


def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in metres (R = 6,371,008.8 m) between points in degrees;
    vectorised over numpy arrays."""
    phi1 = np.radians(np.asarray(lat1, dtype=np.float64))
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dphi = phi2 - phi1
    dlam = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    a = np.clip(a, 0.0, 1.0)
    result: FloatArray = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))
    return result


def _as_road(item: RoadRecord | Mapping[str, Any]) -> RoadRecord:
    """Accept a ``RoadRecord`` or a mapping with the same field names (``coords`` as (lon, lat))."""
    if isinstance(item, RoadRecord):
        return item
    return RoadRecord(
        osm_id=int(item.get("osm_id") or 0),
        highway=str(item.get("highway") or ""),
        name=str(item.get("name") or ""),
        oneway=str(item.get("oneway") or ""),
        junction=str(item.get("junction") or ""),
        maxspeed=str(item.get("maxspeed") or ""),
        lanes=str(item.get("lanes") or ""),
        coords=tuple((float(c[0]), float(c[1])) for c in item["coords"]),
    )


def roads_from_features(features: Iterable[Mapping[str, Any]]) -> Iterator[RoadRecord]:
    """``RoadRecord``s from basemap GeoJSON features (``properties.layer == "road"``,
    LineString or MultiLineString geometry); other layers are skipped."""
    for feature in features:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if props.get("layer") != "road":
            continue
        kind = geometry.get("type")
        if kind == "LineString":
            parts = [geometry["coordinates"]]
        elif kind == "MultiLineString":
            parts = list(geometry["coordinates"])
        else:
            continue
        for part in parts:
            yield _as_road({**props, "coords": part})


def load_basemap_features(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The features of a basemap GeoJSON FeatureCollection (gzip or plain)."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data = json.loads(raw)
    features: list[dict[str, Any]] = data["features"]
    return features


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """A directed road graph as CSR arrays, restricted to its largest strongly connected component.

    Node ``i`` is at (``lat[i]``, ``lon[i]``), the 7-decimal vertex coordinates. Edges leaving
    ``i`` are ``indices[indptr[i]:indptr[i + 1]]``; parallel edges between the same pair are
    collapsed, keeping per metric the cheapest one: ``meters``/``seconds`` are the least length
    and the least time over the pair, and ``fastest_meters``/``shortest_seconds`` the other
    measure of the edge chosen for that metric (so a route's two totals describe one real
    path). ``rev_indptr``/``rev_indices`` are the transposed graph (edges entering a node), and
    ``rev_edge`` maps each reversed edge to its forward edge index, so no data is duplicated.
    ``dropped_nodes`` counts the vertices left out because they lie outside the component.
    ``cch_order`` is the contraction order of the graph's customizable contraction hierarchy
    (``cch.Hierarchy``), when known: it depends only on the graph's shape, takes ~0.4 s to
    compute for a city, and is saved with the graph so a process only rebuilds the cheap parts.
    """

    lat: FloatArray
    lon: FloatArray
    indptr: IntArray
    indices: IntArray
    meters: FloatArray
    seconds: FloatArray
    fastest_meters: FloatArray
    shortest_seconds: FloatArray
    rev_indptr: IntArray
    rev_indices: IntArray
    rev_edge: IntArray
    profile: SpeedProfile = field(default_factory=SpeedProfile)
    dropped_nodes: int = 0
    cch_order: IntArray | None = None

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return int(self.lat.shape[0])

    @property
    def edge_count(self) -> int:
        """Number of directed edges (parallel ways between one pair count once)."""
        return int(self.indices.shape[0])

    @property
    def nbytes(self) -> int:
        """Bytes held by the graph's arrays (what a process keeps in memory, before caches)."""
        return sum(
            int(getattr(self, name).nbytes)
            for name in (
                "lat",
                "lon",
                "indptr",
                "indices",
                "meters",
                "seconds",
                "fastest_meters",
                "shortest_seconds",
                "rev_indptr",
                "rev_indices",
                "rev_edge",
            )
        )

    def weights(self, metric: Metric) -> FloatArray:
        """Forward edge costs for ``metric`` (seconds for ``"time"``, metres for ``"distance"``)."""
        if metric == "time":
            return self.seconds
        if metric == "distance":
            return self.meters
        raise ValueError(f"unknown metric {metric!r}; use 'time' or 'distance'")

    def matrix(self, metric: Metric, reverse: bool = False) -> csr_matrix:
        """The CSR matrix ``csgraph`` routines take, cached per metric and direction.

        Indices are int32 and data float64, so scipy's csgraph uses the arrays without copying.
        """
        key = (metric, reverse)
        cache = self._matrices
        if key not in cache:
            data = self.weights(metric)
            n = self.node_count
            if reverse:
                cache[key] = csr_matrix(
                    (data[self.rev_edge], self.rev_indices, self.rev_indptr), shape=(n, n)
                )
            else:
                cache[key] = csr_matrix((data, self.indices, self.indptr), shape=(n, n))
        return cache[key]

    @cached_property
    def _matrices(self) -> dict[tuple[Metric, bool], csr_matrix]:
        return {}

    @property
    def hierarchy(self) -> Hierarchy:
        """The graph's customizable contraction hierarchy, built on first use (one per graph).

        Uses the stored ``cch_order`` when there is one, else computes it (~0.4 s for Astana).
        Raises ``RuntimeError`` when ``routingkit-cch`` is not installed.
        """
        found: Hierarchy | None = self.__dict__.get("_hierarchy")
        if found is None:
            from saqshy.algorithms.routing.cch import Hierarchy

            with _HIERARCHY_LOCK:
                found = self.__dict__.get("_hierarchy")
                if found is None:
                    found = Hierarchy(self, self.cch_order)
                    self.__dict__["_hierarchy"] = found
        return found

    def known_cch_order(self) -> IntArray | None:
        """The contraction order if stored or already computed (``save`` writes it)."""
        built: Hierarchy | None = self.__dict__.get("_hierarchy")
        return built.order if built is not None else self.cch_order

    @cached_property
    def _cos_lat0(self) -> float:
        return float(np.cos(np.radians(self.lat.mean()))) if self.node_count else 1.0

    def _project(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
        """Equirectangular projection around the mean latitude, in metres (for the KD-tree)."""
        k = EARTH_RADIUS_M * np.pi / 180.0
        x = np.asarray(lon, dtype=np.float64) * (k * self._cos_lat0)
        y = np.asarray(lat, dtype=np.float64) * k
        return np.column_stack([x, y])

    @cached_property
    def kdtree(self) -> cKDTree:
        """Spatial index of the nodes, built on first use."""
        return cKDTree(self._project(self.lat, self.lon))

    def snap(self, lat: float, lon: float, candidates: int = 4) -> tuple[int, float]:
        """The node nearest to (``lat``, ``lon``) and its haversine distance in metres.

        The KD-tree on the local projection proposes the ``candidates`` nearest nodes and the
        exact great-circle distance picks among them (the projection distorts a little away
        from the mean latitude). Callers decide how far is too far to snap.
        """
        if self.node_count == 0:
            raise ValueError("cannot snap onto an empty graph")
        k = min(candidates, self.node_count)
        _, idx = self.kdtree.query(self._project([lat], [lon])[0], k=k)
        idx = np.atleast_1d(np.asarray(idx, dtype=np.intp))
        dist = haversine_m(lat, lon, self.lat[idx], self.lon[idx])
        best = int(np.argmin(dist))
        return int(idx[best]), float(dist[best])

    def snap_many(
        self, lat: npt.ArrayLike, lon: npt.ArrayLike, candidates: int = 4
    ) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """``snap`` for many points in one KD-tree query: (nodes, metres), aligned with input.

        Same rule as ``snap`` (the exact great-circle distance picks among the ``candidates``
        nearest in the projection), vectorised: 500 unit positions take well under 1 ms.
        """
        if self.node_count == 0:
            raise ValueError("cannot snap onto an empty graph")
        lat_a = np.asarray(lat, dtype=np.float64).reshape(-1)
        lon_a = np.asarray(lon, dtype=np.float64).reshape(-1)
        if lat_a.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        k = min(candidates, self.node_count)
        _, idx = self.kdtree.query(self._project(lat_a, lon_a), k=k)
        idx = np.asarray(idx, dtype=np.int64).reshape(lat_a.size, k)
        dist = haversine_m(lat_a[:, None], lon_a[:, None], self.lat[idx], self.lon[idx])
        best = np.argmin(dist, axis=1)
        rows = np.arange(lat_a.size)
        return idx[rows, best], dist[rows, best]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the graph to one uncompressed ``.npz`` file (fast to load, ~3 MB for a city),
        with its CCH contraction order when known (``known_cch_order``)."""
        order = self.known_cch_order()
        meta = json.dumps(
            {"format": _FORMAT, "profile": self.profile.to_dict(), "dropped": self.dropped_nodes}
        )
        buffer = io.BytesIO()
        arrays: dict[str, npt.NDArray[Any]] = {
            "meta": np.frombuffer(meta.encode(), dtype=np.uint8),
            "lat": self.lat,
            "lon": self.lon,
            "indptr": self.indptr,
            "indices": self.indices,
            "meters": self.meters,
            "seconds": self.seconds,
            "fastest_meters": self.fastest_meters,
            "shortest_seconds": self.shortest_seconds,
            "rev_indptr": self.rev_indptr,
            "rev_indices": self.rev_indices,
            "rev_edge": self.rev_edge,
        }
        if order is not None:
            arrays["cch_order"] = order
        np.savez(buffer, **arrays)  # type: ignore[arg-type]
        Path(path).write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> RoadGraph:
        """Read a graph written by ``save``.

        ``.npz`` members cannot be memory-mapped, so the arrays are read eagerly; they are small
        and a process loads the graph once and shares it between requests. A file without a
        CCH order (or with one that is not a permutation of the nodes) loads with
        ``cch_order=None``; the hierarchy then computes it on first use.
        """
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            if meta.get("format") != _FORMAT:
                raise ValueError(f"{path}: unsupported road graph format {meta.get('format')!r}")
            arrays = {name: np.ascontiguousarray(data[name]) for name in data.files}
        arrays.pop("meta")
        order = arrays.pop("cch_order", None)
        if order is not None:
            from saqshy.algorithms.routing.cch import valid_order

            if not valid_order(order, int(arrays["lat"].shape[0])):
                order = None  # a damaged order is recomputed rather than trusted
        return cls(
            cch_order=order,
            **arrays,
            profile=SpeedProfile.from_dict(meta["profile"]),
            dropped_nodes=int(meta["dropped"]),
        )


def _node_keys(lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.int64]:
    """One int64 per vertex from its coordinates rounded to 7 decimals (equal keys = one node)."""
    ilon = np.rint(lon * _SCALE).astype(np.int64) + _LON_OFFSET
    ilat = np.rint(lat * _SCALE).astype(np.int64) + _LAT_OFFSET
    result: npt.NDArray[np.int64] = (ilon << 31) | ilat
    return result


def _collect(
    roads: Iterable[RoadRecord | Mapping[str, Any]], profile: SpeedProfile
) -> tuple[FloatArray, FloatArray, list[tuple[int, int, float, Literal[0, 1, 2]]]]:
    """Concatenate the drivable ways' vertices: per way (start, stop, m/s speed, direction)."""
    lons: list[float] = []
    lats: list[float] = []
    ways: list[tuple[int, int, float, Literal[0, 1, 2]]] = []
    codes: dict[str, Literal[0, 1, 2]] = {"both": 0, "forward": 1, "backward": 2}
    for item in roads:
        road = _as_road(item)
        if road.highway not in DRIVABLE or len(road.coords) < 2:
            continue
        start = len(lons)
        for lon, lat in road.coords:
            lons.append(lon)
            lats.append(lat)
        speed = profile.speed_kmh(road.highway, road.maxspeed) / 3.6
        ways.append(
            (start, len(lons), speed, codes[direction(road.highway, road.oneway, road.junction)])
        )
    return np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64), ways


def build_graph(
    roads: Iterable[RoadRecord | Mapping[str, Any]],
    profile: SpeedProfile | None = None,
    largest_component: bool = True,
) -> RoadGraph:
    """Build the routing graph from OSM ways.

    ``roads`` are ``RoadRecord``s or mappings with the same field names. Only drivable classes
    (``DRIVABLE``) count; one-way rules are those of ``profile.direction``. Each pair of
    consecutive vertices is an edge whose length is their haversine distance and whose time is
    that length at the way's profile speed. With ``largest_component`` (the default) the graph
    is cut to its largest strongly connected component; pass ``False`` to keep every node
    (then some routes raise ``Unreachable``).
    """
    profile = profile or SpeedProfile()
    lon, lat, ways = _collect(roads, profile)
    keys = _node_keys(lon, lat)
    unique, node_of = np.unique(keys, return_inverse=True)
    node_of = node_of.astype(np.int64).ravel()
    node_lon = ((unique >> 31) - _LON_OFFSET) / _SCALE
    node_lat = ((unique & ((1 << 31) - 1)) - _LAT_OFFSET) / _SCALE

    # Segment i joins vertex i and i + 1 unless i is the last vertex of a way.
    is_seg = np.ones(len(lon), dtype=bool)
    speed = np.zeros(len(lon), dtype=np.float64)
    dirn = np.zeros(len(lon), dtype=np.int8)
    for start, stop, way_speed, code in ways:
        is_seg[stop - 1] = False
        speed[start:stop] = way_speed
        dirn[start:stop] = code
    (seg,) = np.nonzero(is_seg)
    a, b = node_of[seg], node_of[seg + 1]
    length = haversine_m(lat[seg], lon[seg], lat[seg + 1], lon[seg + 1])
    time = length / speed[seg]
    d = dirn[seg]
    fwd, bwd = d != 2, d != 1
    tail = np.concatenate([a[fwd], b[bwd]])
    head = np.concatenate([b[fwd], a[bwd]])
    meters = np.concatenate([length[fwd], length[bwd]])
    seconds = np.concatenate([time[fwd], time[bwd]])
    keep = tail != head  # a repeated vertex is not an edge
    tail, head, meters, seconds = tail[keep], head[keep], meters[keep], seconds[keep]

    n = len(unique)
    dropped = 0
    if largest_component and n:
        adjacency = csr_matrix((np.ones(len(tail)), (tail, head)), shape=(n, n))
        _, labels = connected_components(adjacency, directed=True, connection="strong")
        biggest = np.argmax(np.bincount(labels))
        inside = labels == biggest
        dropped = int(n - inside.sum())
        renumber = np.full(n, -1, dtype=np.int64)
        renumber[inside] = np.arange(int(inside.sum()))
        ok = inside[tail] & inside[head]
        tail, head = renumber[tail[ok]], renumber[head[ok]]
        meters, seconds = meters[ok], seconds[ok]
        node_lat, node_lon = node_lat[inside], node_lon[inside]
        n = int(inside.sum())
    return _assemble(node_lat, node_lon, tail, head, meters, seconds, profile, dropped)


def _assemble(
    lat: FloatArray,
    lon: FloatArray,
    tail: npt.NDArray[np.int64],
    head: npt.NDArray[np.int64],
    meters: FloatArray,
    seconds: FloatArray,
    profile: SpeedProfile,
    dropped: int,
) -> RoadGraph:
    """Sort edges into CSR order, collapse parallel edges per metric, add the reverse index."""
    n = len(lat)
    pair = tail * max(n, 1) + head
    # Per pair: the least-length edge (ties by time) and the least-time edge (ties by length).
    by_len = np.lexsort((seconds, meters, pair))
    by_time = np.lexsort((meters, seconds, pair))
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[by_len][1:] != pair[by_len][:-1]
    shortest = by_len[first]
    fastest = by_time[first]  # same pair order: both sorts group by pair first
    u = tail[shortest].astype(np.int32)
    v = head[shortest].astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(u, minlength=n), out=indptr[1:])
    rev_edge = np.lexsort((u, v)).astype(np.int32)
    rev_indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(v, minlength=n), out=rev_indptr[1:])
    return RoadGraph(
        lat=np.ascontiguousarray(lat, dtype=np.float64),
        lon=np.ascontiguousarray(lon, dtype=np.float64),
        indptr=indptr,
        indices=v,
        meters=meters[shortest],
        seconds=seconds[fastest],
        fastest_meters=meters[fastest],
        shortest_seconds=seconds[shortest],
        rev_indptr=rev_indptr,
        rev_indices=u[rev_edge],
        rev_edge=rev_edge,
        profile=profile,
        dropped_nodes=dropped,
    )


def build_graph_from_basemap(
    path: str | os.PathLike[str], profile: SpeedProfile | None = None
) -> RoadGraph:
    """Build the graph from a basemap GeoJSON bundle (``data/basemap/astana.geojson.gz``)."""
    return build_graph(roads_from_features(load_basemap_features(path)), profile)
