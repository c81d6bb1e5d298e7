"""Reader for a folder of OSM QA vector tiles (``Z-X-Y.mvt``, one layer, all OSM tags).

OSM QA tiles carry the OSM identity of every feature in its properties: ``@id`` (number) and
``@type`` (``node``/``way``/``relation``), next to ``@version``, ``@changeset``, ``@uid``,
``@user`` and ``@timestamp`` metadata, which is dropped. Every other property is an OSM tag.

Features are clipped at tile edges, so one way shows up as pieces in several tiles. Pieces
are mapped to an exact integer world grid (see ``tiles.py``): line pieces are de-duplicated
per segment and stitched back in OSM order, polygon pieces are unioned per OSM id.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mapbox_vector_tile
import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from .assemble import is_relevant, is_road, road_record
from .model import OsmReadError, ProgressCallback, RawFeature, RoadRecord
from .tiles import GridPoint, grid_array_to_lonlat, grid_to_lonlat, stitch_pieces, tile_size

TILE_NAME = re.compile(r"^(\d{1,2})-(\d+)-(\d+)\.mvt(\.gz)?$")
"""Tile file names: ``Z-X-Y.mvt`` (optionally gzip'ed as ``.mvt.gz``)."""

_META_PREFIX = "@"


@dataclass(frozen=True)
class TileFile:
    """One tile file and its address."""

    path: Path
    zoom: int
    x: int
    y: int


Ring = list[GridPoint]


@dataclass
class _Collected:
    tags: dict[str, str]
    pieces: list[Ring] = field(default_factory=list)
    polygons: list[list[Ring]] = field(default_factory=list)
    point: GridPoint | None = None


def list_tiles(folder: Path) -> list[TileFile]:
    """The tiles in ``folder`` sorted by address; raises ``OsmReadError`` when there are none."""
    if not folder.is_dir():
        raise OsmReadError(f"OSM tile folder {folder} does not exist or is not a folder")
    tiles: list[TileFile] = []
    for path in sorted(folder.iterdir()):
        if not path.name.endswith((".mvt", ".mvt.gz")):
            continue
        match = TILE_NAME.match(path.name)
        if match is None:
            raise OsmReadError(f"Vector tile {path} is not named Z-X-Y.mvt")
        zoom, x, y = (int(match.group(i)) for i in (1, 2, 3))
        if zoom > 24 or x >= 2**zoom or y >= 2**zoom:
            raise OsmReadError(f"Vector tile {path} has an impossible address {zoom}/{x}/{y}")
        tiles.append(TileFile(path, zoom, x, y))
    if not tiles:
        raise OsmReadError(f"OSM tile folder {folder} contains no Z-X-Y.mvt tiles")
    return sorted(tiles, key=lambda t: (t.zoom, t.x, t.y))


def decode_tile(path: Path) -> dict[str, Any]:
    """Decoded layers of one tile (gzip'ed or not); unreadable data raises ``OsmReadError``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OsmReadError(f"Cannot read vector tile {path}: {exc.strerror or exc}") from exc
    try:
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        layers = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    except Exception as exc:  # the decoder raises protobuf, zlib and value errors alike
        raise OsmReadError(
            f"Vector tile {path} is corrupt or not a Mapbox vector tile ({exc})"
        ) from exc
    if not isinstance(layers, dict):
        raise OsmReadError(f"Vector tile {path} is corrupt or not a Mapbox vector tile")
    return layers


def _tag_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_tiles(
    folder: Path, progress: ProgressCallback | None = None
) -> tuple[list[RawFeature], list[RoadRecord]]:
    """Relevant OSM objects and all roads of the tiles in ``folder``.

    ``progress(done, total)`` counts tiles; the last of ``len(tiles) + 1`` steps is the
    re-assembly of the clipped pieces.
    """
    tiles = list_tiles(folder)
    total = len(tiles) + 1
    collected: dict[str, _Collected] = {}
    for done, tile in enumerate(tiles, start=1):
        for layer in decode_tile(tile.path).values():
            _collect_layer(tile, layer, collected)
        if progress is not None:
            progress(done, total)
    cut = min(tile_size(tile.zoom) for tile in tiles)

    def is_cut(point: GridPoint) -> bool:
        return point[0] % cut == 0 or point[1] % cut == 0

    with_area = [ref for ref, item in collected.items() if item.polygons]
    areas = dict(
        zip(with_area, build_areas([collected[r].polygons for r in with_area]), strict=True)
    )
    features: list[RawFeature] = []
    roads: list[RoadRecord] = []
    for ref, item in collected.items():
        osm_id = int(ref.partition("/")[2])
        if item.point is not None:
            features.append(RawFeature(ref, item.tags, Point(grid_to_lonlat(*item.point))))
        if item.pieces:
            lines = [_lonlat_line(line) for line in stitch_pieces(item.pieces, is_cut)]
            if is_road(item.tags):
                roads.extend(road_record(osm_id, item.tags, line) for line in lines)
            if lines and is_relevant(item.tags):
                geom = LineString(lines[0]) if len(lines) == 1 else MultiLineString(lines)
                features.append(RawFeature(ref, item.tags, geom))
        area = areas.get(ref)
        if area is not None:
            if is_road(item.tags):
                for polygon in getattr(area, "geoms", [area]):
                    ring = tuple((x, y) for x, y in polygon.exterior.coords)
                    roads.append(road_record(osm_id, item.tags, ring))
            if is_relevant(item.tags):
                features.append(RawFeature(ref, item.tags, area))
    if progress is not None:
        progress(total, total)
    return features, roads


def _collect_layer(tile: TileFile, layer: dict[str, Any], out: dict[str, _Collected]) -> None:
    grid = _grid_mapper(tile, int(layer.get("extent", 4096)))
    for feature in layer.get("features", []):
        props = feature.get("properties", {})
        osm_type, osm_id = props.get("@type"), props.get("@id")
        if osm_type not in ("node", "way", "relation") or not isinstance(osm_id, int):
            raise OsmReadError(
                f"Vector tile {tile.path} is not an OSM QA tile: a feature has no @type/@id"
            )
        ref = f"{osm_type}/{osm_id}"
        tags = {
            str(k): _tag_value(v) for k, v in props.items() if not str(k).startswith(_META_PREFIX)
        }
        if not is_relevant(tags) and not is_road(tags):
            continue
        item = out.setdefault(ref, _Collected(tags))
        _add_geometry(grid, feature.get("geometry") or {}, item)


def _grid_mapper(tile: TileFile, extent: int) -> Callable[[Sequence[Sequence[float]]], Ring]:
    """A function mapping tile-local vertices to the world grid (exact for power-of-2 tiles)."""
    size = tile_size(tile.zoom)
    ox, oy = tile.x * size, tile.y * size
    if size % extent == 0:
        step = size // extent

        def exact(ring: Sequence[Sequence[float]]) -> Ring:
            return [(ox + int(x) * step, oy + int(y) * step) for x, y in ring]

        return exact
    scale = size / extent

    def scaled(ring: Sequence[Sequence[float]]) -> Ring:
        return [(ox + round(x * scale), oy + round(y * scale)) for x, y in ring]

    return scaled


def _add_geometry(
    grid: Callable[[Sequence[Sequence[float]]], Ring], geometry: dict[str, Any], item: _Collected
) -> None:
    gtype, coords = geometry.get("type"), geometry.get("coordinates")
    if not coords:
        return
    if gtype == "Point":
        item.point = item.point or grid([coords])[0]
    elif gtype == "MultiPoint":
        item.point = item.point or grid(coords[:1])[0]
    elif gtype == "LineString":
        item.pieces.append(grid(coords))
    elif gtype == "MultiLineString":
        item.pieces.extend(grid(line) for line in coords)
    elif gtype in ("Polygon", "MultiPolygon"):
        for rings in [coords] if gtype == "Polygon" else coords:
            kept = [grid(ring) for ring in rings if len(ring) >= 3]
            if kept and len(rings[0]) >= 3:
                item.polygons.append(kept)


def _lonlat_line(line: Sequence[GridPoint]) -> tuple[tuple[float, float], ...]:
    return tuple(grid_to_lonlat(*p) for p in line)


def build_areas(objects: Sequence[Sequence[Sequence[Ring]]]) -> list[BaseGeometry | None]:
    """One lon/lat (Multi)Polygon per object from its polygon pieces (each a list of rings).

    Construction is vectorised (one coordinate array, ``shapely.linearrings``/``polygons``
    with indices) because a city has tens of thousands of buildings. Pieces are made valid
    and unioned per object; exteriors come out counter-clockwise (GeoJSON right-hand rule).
    """
    coords: list[GridPoint] = []
    ring_of_coord: list[int] = []
    polygon_of_ring: list[int] = []
    owner_of_polygon: list[int] = []
    for owner, pieces in enumerate(objects):
        for rings in pieces:
            polygon = len(owner_of_polygon)
            owner_of_polygon.append(owner)
            for ring in rings:
                ring_of_coord.extend([len(polygon_of_ring)] * len(ring))
                polygon_of_ring.append(polygon)
                coords.extend(ring)
    if not coords:
        return [None] * len(objects)
    lonlat = grid_array_to_lonlat(np.asarray(coords, dtype=np.float64))
    rings = shapely.linearrings(lonlat, indices=np.asarray(ring_of_coord))
    polygons = shapely.polygons(rings, indices=np.asarray(polygon_of_ring))
    invalid = ~shapely.is_valid(polygons)
    polygons[invalid] = shapely.make_valid(polygons[invalid])
    grouped: list[list[BaseGeometry]] = [[] for _ in objects]
    for owner, polygon in zip(owner_of_polygon, polygons, strict=True):
        grouped[owner].append(polygon)
    return [_polygonal(group) for group in grouped]


def _polygonal(pieces: list[BaseGeometry]) -> BaseGeometry | None:
    merged = pieces[0] if len(pieces) == 1 else shapely.union_all(pieces)
    if merged.geom_type == "Polygon" and not merged.is_empty and merged.area > 0:
        return shapely.orient_polygons(merged)
    parts = [
        p
        for g in getattr(merged, "geoms", [merged])
        for p in getattr(g, "geoms", [g])
        if p.geom_type == "Polygon" and not p.is_empty and p.area > 0
    ]
    if not parts:
        return None
    shape: BaseGeometry = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    return shapely.orient_polygons(shape)
