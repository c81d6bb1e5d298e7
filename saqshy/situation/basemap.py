"""Adapter from the stored basemap files to the vector-tile archives the map reads.

Each region's basemap file (the committed demo bundle ``data/basemap/<slug>.geojson.gz``, or
the one ``import_osm`` wrote to ``var/basemap/<slug>.geojson.gz``, which replaces it) is
encoded once into ``var/tiles/<slug>.pmtiles``, clipped to the region's extent; the regions'
outlines go into ``var/tiles/_regions.pmtiles``. Each archive records the version of its
inputs; ``manage.py render_tiles`` writes them ahead of time, and an archive whose inputs
changed (a new import, an edited boundary) is written again, in the background, when a tile
over it is next asked for; the old one is served meanwhile.

Tiles exist only where some archive has one: anything else is "no content".
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import logging
import mmap
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from pmtiles.reader import Reader
from pmtiles.tile import deserialize_directory, find_tile, zxy_to_tileid

from saqshy.accounts.models import Region
from saqshy.algorithms.basemap import (
    MAX_DATA_ZOOM,
    VectorBasemap,
    iter_geojson_features,
    lonlat_to_tile,
    merge_tiles,
    write_pmtiles,
)

logger = logging.getLogger(__name__)

ENCODER_VERSION = "mvt-1"
"""Part of every archive's version: bump it when the encoding changes, to rebuild them."""
REGIONS_ARCHIVE = "_regions"

Extent = tuple[float, float, float, float]


def basemap_dirs() -> list[Path]:
    return [settings.DATA_DIR / "basemap", settings.VAR_DIR / "basemap"]


def basemap_files() -> dict[str, Path]:
    """Basemap file per region slug; an imported file replaces the bundle's."""
    files: dict[str, Path] = {}
    for folder in basemap_dirs():
        if folder.is_dir():
            for file in sorted(folder.glob("*.geojson.gz")):
                files[file.name.removesuffix(".geojson.gz")] = file
    return files


def archive_dir() -> Path:
    return Path(settings.VAR_DIR) / "tiles"


def region_extents(slugs: list[str] | None = None) -> dict[str, Extent]:
    """(min lon, min lat, max lon, max lat) of every region with a boundary (or of those
    named), by slug."""
    regions = Region.objects.exclude(bbox=None)
    if slugs:
        regions = regions.filter(slug__in=slugs)
    return {
        slug: (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
        for slug, b in regions.values_list("slug", "bbox")
        if b and len(b) == 4
    }


def tile_range(extent: Extent, z: int) -> tuple[range, range]:
    """The x and y tile numbers at zoom ``z`` that cover ``extent``."""
    minlon, minlat, maxlon, maxlat = extent
    x0, y0 = lonlat_to_tile(minlon, maxlat, z)
    x1, y1 = lonlat_to_tile(maxlon, minlat, z)
    return range(x0, x1 + 1), range(y0, y1 + 1)


@dataclass(frozen=True)
class Source:
    """One archive to write: its name, the version of its inputs, extent and features."""

    name: str
    version: str
    extent: Extent
    features: Callable[[], Iterable[dict[str, Any]]]

    @property
    def path(self) -> Path:
        return archive_dir() / f"{self.name}.pmtiles"


def _stamp(*parts: object) -> str:
    return hashlib.sha256(repr((ENCODER_VERSION, *parts)).encode()).hexdigest()[:16]


def _boundary_features() -> Iterator[dict[str, Any]]:
    for boundary in Region.objects.exclude(boundary=None).values_list("boundary", flat=True):
        yield {"type": "Feature", "geometry": boundary, "properties": {"layer": "boundary"}}


def sources(slugs: list[str] | None = None) -> list[Source]:
    """The archives the map needs (or those of the regions named, and the outlines)."""
    extents = region_extents()
    out: list[Source] = []
    for slug, file in basemap_files().items():
        if slug not in extents or (slugs and slug not in slugs):
            continue
        info = file.stat()
        out.append(
            Source(
                slug,
                _stamp(str(file), info.st_size, info.st_mtime_ns, extents[slug]),
                extents[slug],
                lambda file=file: iter_geojson_features([file]),  # type: ignore[misc]
            )
        )
    if extents:
        boxes = list(extents.values())
        union = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        regions = Region.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        out.append(
            Source(
                REGIONS_ARCHIVE,
                _stamp(regions["n"], str(regions["last"]), union),
                union,
                _boundary_features,
            )
        )
    return out


def build(source: Source, zooms: Iterable[int] = range(MAX_DATA_ZOOM + 1)) -> dict[int, Any]:
    """Encode ``source`` into its archive (written aside, then moved into place); returns
    per zoom the number of tiles and their bytes."""
    encoder = VectorBasemap.from_features(source.features())
    source.path.parent.mkdir(parents=True, exist_ok=True)
    partial = source.path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
    with partial.open("wb") as out:
        stats = write_pmtiles(
            out,
            encoder.tiles(source.extent, zooms),
            extent=source.extent,
            metadata={"name": source.name, "saqshy_version": source.version},
        )
    partial.replace(source.path)
    return stats


class Archive:
    """An open archive: a memory map, its header, its directories parsed once, and the version
    it was written for."""

    def __init__(self, path: Path) -> None:
        info = path.stat()
        with path.open("rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self.path = path
        self.stamp = (info.st_size, info.st_mtime_ns)
        reader = Reader(self._get_bytes)
        self.header = reader.header()
        self.version = str(reader.metadata().get("saqshy_version", ""))
        self.min_zoom: int = self.header["min_zoom"]
        self.max_zoom: int = self.header["max_zoom"]
        self._directories: dict[tuple[int, int], list[Any]] = {}

    def _get_bytes(self, offset: int, length: int) -> bytes:
        return self._map[offset : offset + length]

    def _directory(self, offset: int, length: int) -> list[Any]:
        key = (offset, length)
        if key not in self._directories:
            self._directories[key] = deserialize_directory(self._get_bytes(offset, length))
        return self._directories[key]

    def get(self, z: int, x: int, y: int) -> bytes | None:
        """The stored (gzip) bytes of tile z/x/y, or None."""
        tile_id = zxy_to_tileid(z, x, y)
        offset, length = self.header["root_offset"], self.header["root_length"]
        for _depth in range(4):
            entry = find_tile(self._directory(offset, length), tile_id)
            if entry is None:
                return None
            if entry.run_length == 0:
                offset = self.header["leaf_directory_offset"] + entry.offset
                length = entry.length
                continue
            return self._get_bytes(self.header["tile_data_offset"] + entry.offset, entry.length)
        return None


_lock = threading.RLock()
_open: dict[Path, Archive] = {}
_building: dict[str, threading.Thread] = {}
_failed: set[str] = set()
"""Versions whose archive could not be written: not tried again by this process."""


def current_archive(path: Path) -> Archive | None:
    """The archive at ``path``, opened once per file version."""
    if not path.exists():
        return None
    info = path.stat()
    known = _open.get(path)
    if known is None or known.stamp != (info.st_size, info.st_mtime_ns):
        known = _open[path] = Archive(path)
    return known


def _build_quietly(source: Source) -> None:
    try:
        build(source)
    except Exception:
        logger.exception("basemap archive %s could not be written", source.name)
        with _lock:
            _failed.add(source.version)
    finally:
        with _lock:
            _building.pop(source.name, None)


def fresh_archives_and_pending(z: int, x: int, y: int) -> tuple[list[Archive], bool]:
    """The archives that may hold tile z/x/y, and whether one of them was missing or out of
    date when asked. One that is missing, or whose inputs changed (a new import, an edited
    boundary), is written again in a background thread; meanwhile the old archive, if any,
    is served. While one is pending, a tile none holds is not known to be empty (its archive
    may be written even before the answer goes out), so it must not be cached. Reads the
    database: call from the sync thread."""
    archives = []
    pending = False
    for source in sources():
        xs, ys = tile_range(source.extent, z)
        if x not in xs or y not in ys:
            continue
        with _lock:
            archive = current_archive(source.path)
            stale = archive is None or archive.version != source.version
            pending = pending or (stale and source.version not in _failed)
            if stale and source.name not in _building and source.version not in _failed:
                # read the database here, in the request's thread, not in the builder's
                if source.name == REGIONS_ARCHIVE:
                    frozen: list[dict[str, Any]] = list(source.features())
                    source = dataclasses.replace(source, features=frozen.copy)
                worker = threading.Thread(
                    target=_build_quietly, args=(source,), name=f"tiles-{source.name}", daemon=True
                )
                _building[source.name] = worker
                worker.start()
        if archive is not None:
            archives.append(archive)
    return archives, pending


def wait_for_builds(timeout: float = 120.0) -> None:
    """Wait until no archive is being written (tests, the benchmark)."""
    while True:
        with _lock:
            workers = list(_building.values())
        if not workers:
            return
        for worker in workers:
            worker.join(timeout)


def read_tile(archives: list[Archive], z: int, x: int, y: int) -> bytes | None:
    """Tile z/x/y, gzip-compressed, from every archive that has it (merged), or None."""
    found = [
        data
        for archive in archives
        if archive.min_zoom <= z <= archive.max_zoom
        for data in [archive.get(z, x, y)]
        if data
    ]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    merged = merge_tiles([gzip.decompress(data) for data in found])
    return gzip.compress(merged, mtime=0)


def building() -> bool:
    """Whether an archive is being written now."""
    with _lock:
        return bool(_building)
