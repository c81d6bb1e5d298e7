"""Encode the offline basemap into Mapbox vector tiles (MVT) in a PMTiles archive.

The browser draws the tiles itself (``protomaps-leaflet``), labels included, so the server
only cuts our OSM extracts into tiles once per region. Tiles follow the Protomaps convention
of 512-pixel data tiles: data zoom ``z`` is shown at display zoom ``z + 1``, and the deepest
data zoom (:data:`MAX_DATA_ZOOM`) is over-zoomed by the browser up to the map's last zoom.

Layers and what they carry (``name:kk``/``name:ru``/``name:en`` wherever OSM has them):

* ``water``: areas and waterways (``kind``, ``name``);
* ``roads``: lines with ``kind`` (the OSM ``highway`` class without ``_link``), ``link``,
  ``rank`` (0 = motorway … 7 = path) and, from :data:`ROAD_NAME_ZOOM`, the names;
* ``buildings``: polygons; at the deepest zoom also ``housenumber``, ``street``, ``name``;
* ``addresses``: one point per addressed building (inside it) or address node, at the
  deepest zoom, with ``housenumber`` and ``street``, placed where the label goes;
* ``places``: named points (``kind``: city, town, suburb, …);
* ``boundary``: region outlines, up to :data:`BOUNDARY_MAX_ZOOM`.

Geometry is simplified per zoom (about half a screen pixel) and features smaller than a
pixel are left out, so low zooms stay small. Pure: no Django.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import mapbox_vector_tile
import numpy as np
import shapely
from numpy.typing import NDArray
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer
from shapely.geometry import shape

from saqshy.algorithms.basemap.tilemath import (
    Bounds,
    lonlat_to_tile,
    mercator_to_lonlat,
    project_coords,
    tile_bounds,
    tile_size_m,
)

EXTENT = 4096
"""Tile coordinate units per tile edge (the MVT default)."""
BUFFER = 64
"""Units beyond the tile edge kept, so strokes and labels do not end at the seam."""
MAX_DATA_ZOOM = 15
"""Deepest data zoom; shown at display zoom 16 and over-zoomed beyond."""
LANGUAGES = ("kk", "ru", "en")
NAME_KEYS = ("name", *(f"name:{lang}" for lang in LANGUAGES))

GeomArray = NDArray[np.object_]

# OSM highway class -> (rank, first data zoom). Rank 0 is the most important road.
ROAD_CLASSES: dict[str, tuple[int, int]] = {
    "motorway": (0, 4),
    "trunk": (0, 5),
    "primary": (1, 7),
    "secondary": (2, 8),
    "tertiary": (3, 9),
    "residential": (4, 11),
    "unclassified": (4, 11),
    "living_street": (4, 12),
    "road": (4, 12),
    "pedestrian": (5, 13),
    "service": (5, 13),
    "track": (6, 13),
    "footway": (7, 14),
    "path": (7, 14),
    "cycleway": (7, 14),
    "steps": (7, 14),
    "bridleway": (7, 14),
}
ROAD_NAME_ZOOM = {0: 9, 1: 10, 2: 11, 3: 12, 4: 14, 5: 15, 6: 15, 7: 15}
"""First data zoom at which a road of each rank carries its name (street names are drawn
from display zoom 11 to 13 for main roads and 15 for residential streets)."""

PLACE_ZOOM = {
    "city": 3,
    "town": 6,
    "suburb": 9,
    "village": 9,
    "quarter": 11,
    "neighbourhood": 12,
    "hamlet": 12,
    "locality": 13,
    "isolated_dwelling": 14,
}
BUILDING_ZOOM = 14
"""Buildings appear at display zoom 15; house numbers only at the deepest data zoom."""
WATER_LINE_ZOOM = 9
BOUNDARY_MAX_ZOOM = 12
MIN_AREA_PX = 2.0
"""Polygons smaller than this many square screen pixels (512-pixel tiles) are left out."""
SIMPLIFY_PX = 0.5


def _names(props: dict[str, Any]) -> dict[str, str]:
    return {k: str(props[k]) for k in NAME_KEYS if props.get(k)}


def _geom_array(geoms: list[Any]) -> GeomArray:
    out = np.empty(len(geoms), dtype=object)
    out[:] = geoms
    return out


@dataclass
class _Layer:
    """One output layer: projected geometries, their properties and first/last data zoom."""

    name: str
    geoms: list[Any] = field(default_factory=list)
    props: list[dict[str, Any]] = field(default_factory=list)
    minzoom: list[int] = field(default_factory=list)
    maxzoom: list[int] = field(default_factory=list)
    # properties only written from this data zoom on (names, house numbers)
    late_props: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def add(
        self,
        geom: Any,
        props: dict[str, Any],
        minzoom: int = 0,
        maxzoom: int = MAX_DATA_ZOOM,
        late: tuple[int, dict[str, Any]] = (MAX_DATA_ZOOM + 1, {}),
    ) -> None:
        self.geoms.append(geom)
        self.props.append(props)
        self.minzoom.append(minzoom)
        self.maxzoom.append(maxzoom)
        self.late_props.append(late)


@dataclass
class _ZoomLayer:
    """A layer's features present at one zoom, simplified for it, with a spatial index."""

    geoms: GeomArray
    index: NDArray[np.intp]  # position in the _Layer lists
    tree: shapely.STRtree


class VectorBasemap:
    """Features of one basemap, projected once; :meth:`tiles` cuts and encodes them."""

    def __init__(self, layers: dict[str, _Layer]) -> None:
        self.layers = layers
        for layer in layers.values():
            layer.geoms = list(
                shapely.transform(_geom_array(layer.geoms), project_coords) if layer.geoms else []
            )
        self._zoomed: dict[tuple[str, int], _ZoomLayer] = {}

    @classmethod
    def from_features(cls, features: Iterable[dict[str, Any]]) -> VectorBasemap:
        """Sort GeoJSON-like features (lon/lat) into the output layers by their ``layer``
        property (``water``, ``building``, ``road``, ``place``, ``address``, ``boundary``).
        Unusable geometries and roads of a class not drawn are skipped."""
        out = {
            n: _Layer(n) for n in ("water", "roads", "buildings", "addresses", "places", "boundary")
        }
        for feature in features:
            props = feature.get("properties") or {}
            kind = props.get("layer")
            raw = feature.get("geometry")
            if not raw:
                continue
            try:
                geom = shape(raw)
            except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.GEOSException):
                continue
            if geom.is_empty:
                continue
            if geom.geom_type in ("Polygon", "MultiPolygon") and not geom.is_valid:
                geom = shapely.make_valid(geom)
            gtype = geom.geom_type
            area = gtype in ("Polygon", "MultiPolygon", "GeometryCollection")
            if kind == "water":
                out["water"].add(
                    geom,
                    {"kind": str(props.get("kind") or "water"), **_names(props)},
                    0 if area else WATER_LINE_ZOOM,
                )
            elif kind == "road" and gtype in ("LineString", "MultiLineString"):
                highway = str(props.get("highway") or "")
                link = highway.endswith("_link")
                base = highway.removesuffix("_link")
                if base not in ROAD_CLASSES:
                    continue
                rank, minzoom = ROAD_CLASSES[base]
                out["roads"].add(
                    geom,
                    {"kind": base, "rank": rank, **({"link": True} if link else {})},
                    minzoom + (1 if link else 0),
                    late=(ROAD_NAME_ZOOM[rank], _names(props)),
                )
            elif kind == "building" and area:
                address = {
                    k: str(props[k]) for k in ("housenumber", "street") if props.get(k)
                } | _names(props)
                out["buildings"].add(geom, {}, BUILDING_ZOOM, late=(MAX_DATA_ZOOM, address))
                if props.get("housenumber"):
                    out["addresses"].add(
                        shapely.point_on_surface(geom),
                        {k: v for k, v in address.items() if k in ("housenumber", "street")},
                        MAX_DATA_ZOOM,
                    )
            elif kind == "address" and gtype == "Point" and props.get("housenumber"):
                out["addresses"].add(
                    geom,
                    {k: str(props[k]) for k in ("housenumber", "street") if props.get(k)},
                    MAX_DATA_ZOOM,
                )
            elif kind == "place" and gtype == "Point" and props.get("name"):
                place = str(props.get("kind") or "locality")
                out["places"].add(geom, {"kind": place, **_names(props)}, PLACE_ZOOM.get(place, 13))
            elif kind == "boundary":
                line = shapely.boundary(geom) if area else geom
                out["boundary"].add(line, {}, 0, BOUNDARY_MAX_ZOOM)
        return cls(out)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(layer.geoms) for name, layer in self.layers.items()}

    def extent(self) -> Bounds | None:
        """lon/lat bounds of every feature except boundaries, or None when there are none."""
        geoms = [g for n, layer in self.layers.items() if n != "boundary" for g in layer.geoms]
        if not geoms:
            return None
        minx, miny, maxx, maxy = shapely.total_bounds(_geom_array(geoms))
        return (*mercator_to_lonlat(minx, miny), *mercator_to_lonlat(maxx, maxy))

    def _at_zoom(self, name: str, z: int) -> _ZoomLayer:
        """The layer's features shown at data zoom ``z``, simplified and filtered for it."""
        key = (name, z)
        if key in self._zoomed:
            return self._zoomed[key]
        layer = self.layers[name]
        geoms = _geom_array(layer.geoms)
        keep = np.array(
            [lo <= z <= hi for lo, hi in zip(layer.minzoom, layer.maxzoom, strict=True)],
            dtype=bool,
        )
        index = np.flatnonzero(keep).astype(np.intp)
        geoms = geoms[index]
        pixel = tile_size_m(z) / 512
        if z < MAX_DATA_ZOOM and len(geoms):
            geoms = shapely.simplify(geoms, pixel * SIMPLIFY_PX, preserve_topology=True)
            areas = shapely.area(geoms)
            polygonal = areas > 0
            big = ~polygonal | (areas >= MIN_AREA_PX * pixel * pixel)
            geoms, index = geoms[big], index[big]
        zl = _ZoomLayer(geoms, index, shapely.STRtree(geoms))
        self._zoomed[key] = zl
        return zl

    def tile_ids(self, z: int, extent: Bounds) -> set[tuple[int, int]]:
        """(x, y) of every tile at zoom ``z`` that some feature touches, within ``extent``
        (lon/lat)."""
        minlon, minlat, maxlon, maxlat = extent
        ex0, ey0 = lonlat_to_tile(minlon, maxlat, z)
        ex1, ey1 = lonlat_to_tile(maxlon, minlat, z)
        size = tile_size_m(z)
        origin = np.pi * 6378137.0
        found: set[tuple[int, int]] = set()
        for name in self.layers:
            zl = self._at_zoom(name, z)
            if not len(zl.geoms):
                continue
            b = shapely.bounds(zl.geoms)
            x0 = np.clip(np.floor((b[:, 0] + origin) / size), ex0, ex1).astype(int)
            x1 = np.clip(np.floor((b[:, 2] + origin) / size), ex0, ex1).astype(int)
            y0 = np.clip(np.floor((origin - b[:, 3]) / size), ey0, ey1).astype(int)
            y1 = np.clip(np.floor((origin - b[:, 1]) / size), ey0, ey1).astype(int)
            single = (x0 == x1) & (y0 == y1)
            found.update(zip(x0[single].tolist(), y0[single].tolist(), strict=True))
            for i in np.flatnonzero(~single):
                found.update(
                    (x, y) for x in range(x0[i], x1[i] + 1) for y in range(y0[i], y1[i] + 1)
                )
        return found

    def encode_tile(self, z: int, x: int, y: int) -> bytes | None:
        """The MVT bytes (uncompressed) of tile z/x/y, or None when it holds nothing."""
        minx, miny, maxx, maxy = tile_bounds(z, x, y)
        size = maxx - minx
        pad = size * BUFFER / EXTENT
        box = (minx - pad, miny - pad, maxx + pad, maxy + pad)
        scale = EXTENT / size
        layers = []
        for name, layer in self.layers.items():
            zl = self._at_zoom(name, z)
            if not len(zl.geoms):
                continue
            hits = np.sort(zl.tree.query(shapely.box(*box)))
            if not len(hits):
                continue
            clipped = shapely.clip_by_rect(zl.geoms[hits], *box)

            def to_tile(xy: NDArray[np.float64]) -> NDArray[np.float64]:
                out = np.empty_like(xy)
                out[:, 0] = (xy[:, 0] - minx) * scale
                out[:, 1] = (maxy - xy[:, 1]) * scale
                return out

            local = shapely.set_precision(shapely.transform(clipped, to_tile), 1.0)
            features = []
            for geom, i in zip(local, zl.index[hits], strict=True):
                if geom is None or geom.is_empty:
                    continue
                if geom.geom_type == "GeometryCollection":
                    parts = [p for p in shapely.get_parts(geom) if p.geom_type != "Point"]
                    if not parts:
                        continue
                    geom = shapely.union_all(parts)
                props = dict(layer.props[i])
                late_zoom, late = layer.late_props[i]
                if z >= late_zoom:
                    props.update(late)
                features.append({"geometry": geom, "properties": props})
            if features:
                layers.append({"name": name, "features": features})
        if not layers:
            return None
        data: bytes = mapbox_vector_tile.encode(
            layers, default_options={"y_coord_down": True, "extents": EXTENT}
        )
        return data

    def tiles(
        self, extent: Bounds, zooms: Iterable[int] = range(MAX_DATA_ZOOM + 1)
    ) -> Iterator[tuple[int, int, int, bytes]]:
        """(z, x, y, MVT bytes) of every non-empty tile over ``extent`` (lon/lat)."""
        for z in zooms:
            for x, y in sorted(self.tile_ids(z, extent)):
                data = self.encode_tile(z, x, y)
                if data is not None:
                    yield z, x, y, data


def write_pmtiles(
    out: BinaryIO,
    tiles: Iterable[tuple[int, int, int, bytes]],
    *,
    extent: Bounds,
    metadata: dict[str, Any],
) -> dict[int, tuple[int, int]]:
    """Write gzip-compressed MVT ``tiles`` into a PMTiles v3 archive; returns per zoom the
    number of tiles and their total compressed bytes."""
    entries = sorted(
        (zxy_to_tileid(z, x, y), z, gzip.compress(data, compresslevel=9, mtime=0))
        for z, x, y, data in tiles
    )
    stats: dict[int, tuple[int, int]] = {}
    writer = Writer(out)
    for tile_id, z, data in entries:
        writer.write_tile(tile_id, data)
        count, size = stats.get(z, (0, 0))
        stats[z] = (count + 1, size + len(data))
    if not entries:
        # an archive must hold a tile: an empty one at zoom 0
        empty = gzip.compress(mapbox_vector_tile.encode([]), mtime=0)
        writer.write_tile(0, empty)
    minlon, minlat, maxlon, maxlat = extent
    header = {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.GZIP,
        "min_lon_e7": int(minlon * 1e7),
        "min_lat_e7": int(minlat * 1e7),
        "max_lon_e7": int(maxlon * 1e7),
        "max_lat_e7": int(maxlat * 1e7),
        "center_zoom": 12,
    }
    layer_names = ("water", "roads", "buildings", "addresses", "places", "boundary")
    meta = {
        "vector_layers": [{"id": n, "fields": {}} for n in layer_names],
        "attribution": "© OpenStreetMap contributors",
        **metadata,
    }
    writer.finalize(header, meta)
    return stats


def merge_tiles(tiles: list[bytes]) -> bytes:
    """One MVT (uncompressed) holding the layers of all ``tiles``; layers of the same name
    are joined into one (their keys and values appended, the features' tags shifted)."""
    if len(tiles) == 1:
        return tiles[0]
    from mapbox_vector_tile.Mapbox import vector_tile_pb2

    merged = vector_tile_pb2.tile()
    by_name: dict[str, Any] = {}
    for data in tiles:
        part = vector_tile_pb2.tile()
        part.ParseFromString(data)
        for layer in part.layers:
            target = by_name.get(layer.name)
            if target is None:
                target = merged.layers.add()
                target.CopyFrom(layer)
                by_name[layer.name] = target
                continue
            key_shift, value_shift = len(target.keys), len(target.values)
            target.keys.extend(layer.keys)
            target.values.extend(layer.values)
            for feature in layer.features:
                added = target.features.add()
                added.CopyFrom(feature)
                added.ClearField("tags")
                added.tags.extend(
                    tag + (key_shift if n % 2 == 0 else value_shift)
                    for n, tag in enumerate(feature.tags)
                )
    result: bytes = merged.SerializeToString()
    return result
