"""Tile math and the spatial index the basemap renderer draws from.

Features arrive as GeoJSON-like dicts in lon/lat (EPSG:4326).  They are projected once to
spherical Web Mercator metres (EPSG:3857, the projection of standard XYZ tiles) with a
vectorised numpy transform, split into per-layer arrays of shapely geometries and indexed
with one STRtree per layer.  Everything a tile render needs beyond a tree query (draw order,
road class, areas, bounding boxes) is computed here once, so rendering a tile is a handful
of vectorised shapely calls plus drawing.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import shape

from saqshy.algorithms.basemap.style import MAX_ZOOM, road_class

EARTH_RADIUS_M = 6378137.0
ORIGIN_SHIFT_M = math.pi * EARTH_RADIUS_M
"""Half the width of the Web Mercator world square, in metres."""
MAX_LATITUDE = 85.0511287798066
"""Latitude at which the Web Mercator world becomes square; points beyond are clamped."""

Bounds = tuple[float, float, float, float]
GeomArray = NDArray[np.object_]

_LINE_TYPES = (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING)
_POLYGON_TYPES = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def validate_tile(z: int, x: int, y: int) -> None:
    """Raise ValueError unless (z, x, y) addresses an existing XYZ tile with z <= MAX_ZOOM.

    Non-integer coordinates raise TypeError (a routing bug rather than a bad request).
    """
    for name, value in (("z", z), ("x", x), ("y", y)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"tile {name} must be an integer, got {value!r}")
    if not 0 <= z <= MAX_ZOOM:
        raise ValueError(f"tile zoom z={z} is outside 0..{MAX_ZOOM}")
    n = 1 << int(z)
    if not 0 <= x < n:
        raise ValueError(f"tile x={x} is outside 0..{n - 1} at zoom {z}")
    if not 0 <= y < n:
        raise ValueError(f"tile y={y} is outside 0..{n - 1} at zoom {z}")


def tile_size_m(z: int) -> float:
    """Edge length in Web Mercator metres of a tile at zoom ``z``."""
    return 2.0 * ORIGIN_SHIFT_M / (1 << z)


def tile_bounds(z: int, x: int, y: int) -> Bounds:
    """Web Mercator (minx, miny, maxx, maxy) in metres of XYZ tile z/x/y (y counted from top)."""
    validate_tile(z, x, y)
    size = tile_size_m(z)
    minx = -ORIGIN_SHIFT_M + x * size
    maxy = ORIGIN_SHIFT_M - y * size
    return (minx, maxy - size, minx + size, maxy)


def lonlat_to_mercator(lon: float, lat: float) -> tuple[float, float]:
    """Project one lon/lat point (degrees) to Web Mercator metres, clamping the latitude."""
    lat = min(max(lat, -MAX_LATITUDE), MAX_LATITUDE)
    mx = EARTH_RADIUS_M * math.radians(lon)
    my = EARTH_RADIUS_M * math.asinh(math.tan(math.radians(lat)))
    return mx, my


def mercator_to_lonlat(mx: float, my: float) -> tuple[float, float]:
    """Inverse of :func:`lonlat_to_mercator` (degrees)."""
    lon = math.degrees(mx / EARTH_RADIUS_M)
    lat = math.degrees(math.atan(math.sinh(my / EARTH_RADIUS_M)))
    return lon, lat


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """XYZ tile (x, y) containing a lon/lat point at zoom ``z``.

    Computed from the same Web Mercator arithmetic as :func:`tile_bounds`, so the returned
    tile's bounds contain the projected point; longitudes wrap and latitudes are clamped.
    """
    validate_tile(z, 0, 0)
    lon = (lon + 180.0) % 360.0 - 180.0
    mx, my = lonlat_to_mercator(lon, lat)
    size = tile_size_m(z)
    last = (1 << z) - 1
    tx = math.floor((mx + ORIGIN_SHIFT_M) / size)
    ty = math.floor((ORIGIN_SHIFT_M - my) / size)
    return min(max(tx, 0), last), min(max(ty, 0), last)


def _project_coords(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    """Vectorised lon/lat -> Web Mercator for an (N, 2) array, used with shapely.transform."""
    lon = coords[:, 0]
    lat = np.clip(coords[:, 1], -MAX_LATITUDE, MAX_LATITUDE)
    out = np.empty_like(coords)
    out[:, 0] = EARTH_RADIUS_M * np.radians(lon)
    out[:, 1] = EARTH_RADIUS_M * np.arcsinh(np.tan(np.radians(lat)))
    return out


def _geom_array(geoms: list[Any]) -> GeomArray:
    """A 1-D object array of geometries (np.array would try to unpack multi-geometries)."""
    out = np.empty(len(geoms), dtype=object)
    out[:] = geoms
    return out


def _polygonal(geoms: GeomArray) -> GeomArray:
    """Repair invalid polygons so that clipping them is safe, keeping only polygonal parts."""
    if len(geoms) == 0:
        return geoms
    bad = np.flatnonzero(~shapely.is_valid(geoms))
    if len(bad):
        fixed = shapely.make_valid(geoms[bad])
        for i, geom in zip(bad, fixed, strict=True):
            if shapely.get_type_id(geom) in _POLYGON_TYPES:
                geoms[i] = geom
                continue
            members = shapely.get_parts(geom)
            polys = shapely.get_parts(
                members[np.isin(shapely.get_type_id(members), _POLYGON_TYPES)]
            )
            geoms[i] = shapely.multipolygons(polys) if len(polys) else None
    return geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]


@dataclass(frozen=True, slots=True)
class Layer:
    """Projected geometries of one drawable layer, already in draw order, with an STRtree.

    ``sizes`` is the area (polygons) or length (lines) in square metres / metres, used to
    skip sub-pixel features at low zoom; ``bounds`` holds each geometry's bounding box so the
    renderer can clip only the few geometries much larger than a tile.
    """

    geoms: GeomArray
    tree: shapely.STRtree
    bounds: NDArray[np.float64]
    sizes: NDArray[np.float64]

    @classmethod
    def build(cls, geoms: GeomArray, order: NDArray[np.intp] | None = None) -> Layer:
        """Index ``geoms`` (optionally reordered by ``order``) for bounding-box queries."""
        if order is not None:
            geoms = geoms[order]
        areas = shapely.area(geoms)
        sizes = np.where(areas > 0, areas, shapely.length(geoms)).astype(np.float64)
        bounds = shapely.bounds(geoms).reshape(-1, 4).astype(np.float64)
        return cls(geoms, shapely.STRtree(geoms), bounds, sizes)

    def __len__(self) -> int:
        return len(self.geoms)

    def query(self, box: Bounds) -> NDArray[np.intp]:
        """Indices, in draw order, of geometries whose bounding box meets ``box``."""
        if len(self.geoms) == 0:
            return np.empty(0, dtype=np.intp)
        hits = self.tree.query(shapely.box(*box))
        return np.sort(np.asarray(hits, dtype=np.intp))


@dataclass(frozen=True, slots=True)
class RoadLayer(Layer):
    """Road lines sorted by (class rank, link-before-main) so minor roads end up underneath."""

    rank: NDArray[np.int8]
    is_link: NDArray[np.bool_]


def _build_roads(geoms: list[Any], classes: list[tuple[int, bool]]) -> RoadLayer:
    """Index road lines with their class, in draw order."""
    arr = _geom_array(geoms)
    rank = np.array([c[0] for c in classes], dtype=np.int8)
    is_link = np.array([c[1] for c in classes], dtype=np.bool_)
    order = np.lexsort((~is_link, rank)).astype(np.intp)
    base = Layer.build(arr, order)
    return RoadLayer(base.geoms, base.tree, base.bounds, base.sizes, rank[order], is_link[order])


def _largest_first(geoms: GeomArray) -> Layer:
    """Index polygons largest first, so a courtyard building is drawn after its container."""
    geoms = _polygonal(geoms)
    order = np.argsort(-shapely.area(geoms), kind="stable").astype(np.intp)
    return Layer.build(geoms, order)


BOUNDARY_CHUNK_VERTICES = 64
"""Boundary lines are cut into pieces of at most this many segments for selective queries."""


@dataclass(frozen=True, slots=True)
class BoundaryLayer(Layer):
    """Boundary lines cut into short chunks, so a tile query returns only nearby pieces.

    A whole region outline has a bounding box covering the region, which would make every
    tile inside it "non-empty" and send thousands of far-away vertices to each render.
    ``offsets`` is each chunk's distance in metres from the start of its original line; it
    anchors the dash pattern so dashes run on continuously across chunks and tiles.
    """

    offsets: NDArray[np.float64]


def _build_boundaries(lines: GeomArray) -> BoundaryLayer:
    """Merge, chunk and index boundary lines, recording where along its line each chunk starts.

    Neighbouring regions share their border; the union draws it once instead of twice with
    clashing dash phases.  If GEOS cannot node the input, the lines are used as given.
    """
    chunks: list[Any] = []
    offsets: list[float] = []
    step = BOUNDARY_CHUNK_VERTICES
    if len(lines) > 1:
        with contextlib.suppress(shapely.errors.GEOSException):
            lines = _geom_array([shapely.line_merge(shapely.union_all(lines))])
    for part in shapely.get_parts(lines):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        along = np.concatenate(([0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))))
        for a in range(0, len(xy) - 1, step):
            chunks.append(shapely.linestrings(xy[a : min(a + step, len(xy) - 1) + 1]))
            offsets.append(float(along[a]))
    base = Layer.build(_geom_array(chunks))
    return BoundaryLayer(
        base.geoms, base.tree, base.bounds, base.sizes, np.asarray(offsets, dtype=np.float64)
    )


@dataclass(frozen=True, slots=True)
class BasemapIndex:
    """All basemap layers of a city, projected to Web Mercator and spatially indexed."""

    roads: RoadLayer
    buildings: Layer
    water_areas: Layer
    water_lines: Layer
    boundaries: BoundaryLayer

    @classmethod
    def from_features(cls, features: Iterable[dict[str, Any]]) -> BasemapIndex:
        """Build the index from GeoJSON-like features in lon/lat.

        The ``layer`` property selects the layer ("road", "building", "water", "boundary");
        roads need a drawable OSM ``highway`` class.  Features with another layer, an
        unusable geometry or a road class the style does not draw are skipped.  Boundary
        polygons are kept as their outlines, since only the outline is drawn.
        """
        roads: list[Any] = []
        classes: list[tuple[int, bool]] = []
        buckets: dict[str, list[Any]] = {"building": [], "water": [], "boundary": []}
        for feature in features:
            props = feature.get("properties") or {}
            layer = props.get("layer")
            raw = feature.get("geometry")
            if not raw or (layer != "road" and layer not in buckets):
                continue
            road = road_class(props.get("highway")) if layer == "road" else None
            if layer == "road" and road is None:
                continue
            try:
                geom = shape(raw)
            except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.GEOSException):
                continue
            if geom.is_empty:
                continue
            if road is not None:
                if shapely.get_type_id(geom) in _LINE_TYPES:
                    roads.append(geom)
                    classes.append(road)
            else:
                buckets[str(layer)].append(geom)
        return cls._assemble(roads, classes, buckets)

    @classmethod
    def _assemble(
        cls, roads: list[Any], classes: list[tuple[int, bool]], buckets: dict[str, list[Any]]
    ) -> BasemapIndex:
        """Project every geometry in one vectorised pass and build the per-layer indexes."""
        sizes = [len(roads)] + [len(buckets[k]) for k in ("building", "water", "boundary")]
        projected = shapely.transform(
            _geom_array(roads + buckets["building"] + buckets["water"] + buckets["boundary"]),
            _project_coords,
        )
        cuts = np.cumsum(sizes)[:-1]
        road_g, building_g, water_g, boundary_g = np.split(projected, cuts)
        types = shapely.get_type_id(water_g)
        is_water_line = np.isin(types, _LINE_TYPES)
        is_water_area = np.isin(types, _POLYGON_TYPES)
        is_area = np.isin(shapely.get_type_id(boundary_g), _POLYGON_TYPES)
        boundary_lines = boundary_g.copy()
        boundary_lines[is_area] = shapely.boundary(boundary_g[is_area])
        boundary_lines = boundary_lines[np.isin(shapely.get_type_id(boundary_lines), _LINE_TYPES)]
        building_g = building_g[np.isin(shapely.get_type_id(building_g), _POLYGON_TYPES)]
        return cls(
            roads=_build_roads(list(road_g), classes),
            buildings=_largest_first(building_g),
            water_areas=_largest_first(water_g[is_water_area]),
            water_lines=Layer.build(water_g[is_water_line]),
            boundaries=_build_boundaries(boundary_lines),
        )

    @classmethod
    def from_geojson_files(cls, paths: Iterable[str | os.PathLike[str]]) -> BasemapIndex:
        """Build the index from GeoJSON FeatureCollection files (plain or gzip-compressed)."""
        return cls.from_features(iter_geojson_features(paths))

    @property
    def counts(self) -> dict[str, int]:
        """Number of indexed geometries per layer."""
        return {
            "roads": len(self.roads),
            "buildings": len(self.buildings),
            "water_areas": len(self.water_areas),
            "water_lines": len(self.water_lines),
            "boundaries": len(self.boundaries),
        }

    @property
    def extent(self) -> Bounds | None:
        """Web Mercator bounding box of all indexed geometries, or None for an empty index."""
        layers = (self.roads, self.buildings, self.water_areas, self.water_lines, self.boundaries)
        boxes = [layer.bounds for layer in layers if len(layer)]
        if not boxes:
            return None
        allb = np.concatenate(boxes)
        return (
            float(allb[:, 0].min()),
            float(allb[:, 1].min()),
            float(allb[:, 2].max()),
            float(allb[:, 3].max()),
        )


def iter_geojson_features(paths: Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any]]:
    """Yield the features of each file; gzip is detected from its magic bytes, not the name."""
    for path in paths:
        with open(path, "rb") as fh:
            raw = fh.read()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        doc = json.loads(raw)
        if isinstance(doc, list):
            yield from doc
        elif doc.get("type") == "FeatureCollection":
            yield from doc.get("features") or []
        elif doc.get("type") == "Feature":
            yield doc
