"""Reader for OSM files (``.osm.pbf``, also ``.osm``/``.osm.gz``/``.osm.bz2``) via pyosmium.

Polygons come from libosmium's area assembler (``FileProcessor.with_areas``), which builds
them for closed ways and for ``type=multipolygon`` relations, so a multipolygon school or
lake is one (Multi)Polygon with its holes. Roads are taken from the ways themselves, in OSM
vertex order; where an extract lacks some of a way's nodes the way is split at the gap.
"""

from __future__ import annotations

from pathlib import Path

import osmium
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from .assemble import is_relevant, is_road, road_record
from .model import OsmReadError, ProgressCallback, RawFeature, RoadRecord

PROGRESS_EVERY = 10_000
"""Objects between two progress callbacks."""


def _location_runs(way: osmium.osm.Way) -> list[list[tuple[float, float]]]:
    """The way's vertices as (lon, lat), split where a node location is missing."""
    runs: list[list[tuple[float, float]]] = [[]]
    for node in way.nodes:
        location = node.location
        if location.valid():
            runs[-1].append((location.lon, location.lat))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) >= 2]


def _area_geometry(area: osmium.osm.Area) -> BaseGeometry | None:
    polygons: list[Polygon] = []
    for outer in area.outer_rings():
        shell = [(n.lon, n.lat) for n in outer]
        holes = [[(n.lon, n.lat) for n in inner] for inner in area.inner_rings(outer)]
        if len(shell) >= 4:
            polygons.append(Polygon(shell, [h for h in holes if len(h) >= 4]))
    if not polygons:
        return None
    geom: BaseGeometry = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    return geom


def _count_objects(path: Path) -> int:
    count = 0
    for _ in osmium.FileProcessor(str(path)):
        count += 1
    return count


def read_pbf(
    path: Path, progress: ProgressCallback | None = None
) -> tuple[list[RawFeature], list[RoadRecord]]:
    """Relevant OSM objects and all roads of the OSM file at ``path``.

    ``progress(done, total)`` counts OSM objects; a first quick pass counts them, which also
    catches a truncated or foreign file before any real work.
    """
    if not path.is_file():
        raise OsmReadError(f"OSM file {path} does not exist or is not a file")
    if path.stat().st_size == 0:
        raise OsmReadError(f"OSM file {path} is empty")
    try:
        total = _count_objects(path)
        if progress is not None:
            progress(0, total)
        features, roads = _read(path, total, progress)
    except OsmReadError:
        raise
    except Exception as exc:  # libosmium reports every decoding problem as RuntimeError
        raise OsmReadError(
            f"Cannot read OSM file {path}: it is truncated, corrupt or not OSM data ({exc})"
        ) from exc
    if progress is not None:
        progress(total, total)
    return features, roads


def _read(
    path: Path, total: int, progress: ProgressCallback | None
) -> tuple[list[RawFeature], list[RoadRecord]]:
    features: dict[str, RawFeature] = {}
    fallbacks: dict[str, RawFeature] = {}
    roads: list[RoadRecord] = []
    done = 0
    for obj in osmium.FileProcessor(str(path)).with_areas():
        if isinstance(obj, osmium.osm.Area):
            tags = {t.k: t.v for t in obj.tags}
            geom = _area_geometry(obj) if is_relevant(tags) else None
            if geom is not None:
                ref = f"{'way' if obj.from_way() else 'relation'}/{obj.orig_id()}"
                features[ref] = RawFeature(ref, tags, geom)
            continue
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(min(done, total), total)
        if isinstance(obj, osmium.osm.Node):
            if len(obj.tags) and is_relevant(tags := {t.k: t.v for t in obj.tags}):
                location = obj.location
                if location.valid():
                    ref = f"node/{obj.id}"
                    features[ref] = RawFeature(ref, tags, Point(location.lon, location.lat))
        elif isinstance(obj, osmium.osm.Way):
            tags = {t.k: t.v for t in obj.tags}
            road, relevant = is_road(tags), is_relevant(tags)
            if not (road or relevant):
                continue
            runs = _location_runs(obj)
            if road:
                roads.extend(road_record(obj.id, tags, run) for run in runs)
            if relevant and runs:
                ref = f"way/{obj.id}"
                fallbacks[ref] = RawFeature(ref, tags, LineString(runs[0]))
    for ref, feature in fallbacks.items():
        features.setdefault(ref, feature)
    return list(features.values()), roads
