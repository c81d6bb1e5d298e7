"""Adapter from the stored basemap files to the pure tile renderer.

The committed demo bundle (``data/basemap/*.geojson.gz``) and the basemaps written by
``import_osm`` (``var/basemap/*.geojson.gz``) are read once per process, together with the
region boundaries, into one index; rendered tiles are cached on disk under a key that changes
whenever any of those inputs change.

Tiles exist only over the regions' extent (the union of their bounding boxes): anything else
is "no such tile". ``manage.py render_tiles`` fills the cache ahead of time; the tile view
reads it, and draws a missing tile into it only for a signed-in user.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from saqshy.accounts.models import Region
from saqshy.algorithms.basemap import BasemapIndex, lonlat_to_tile, render_tile
from saqshy.algorithms.basemap.index import iter_geojson_features


def basemap_dirs() -> list[Path]:
    return [settings.DATA_DIR / "basemap", settings.VAR_DIR / "basemap"]


def basemap_files() -> list[Path]:
    files: list[Path] = []
    for folder in basemap_dirs():
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.geojson.gz")))
    return files


def _boundary_features() -> list[dict[str, Any]]:
    return [
        {"type": "Feature", "geometry": boundary, "properties": {"layer": "boundary"}}
        for boundary in Region.objects.exclude(boundary=None).values_list("boundary", flat=True)
    ]


def _version(files: list[Path]) -> str:
    stamp = hashlib.sha256()
    for file in files:
        info = file.stat()
        stamp.update(f"{file}:{info.st_size}:{info.st_mtime_ns};".encode())
    regions = Region.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    stamp.update(f"{regions['n']}:{regions['last']}".encode())
    return stamp.hexdigest()[:16]


Extent = tuple[float, float, float, float]


def region_extents(slugs: list[str] | None = None) -> list[Extent]:
    """(min lon, min lat, max lon, max lat) of every region with a boundary (or of those
    named)."""
    regions = Region.objects.exclude(bbox=None)
    if slugs:
        regions = regions.filter(slug__in=slugs)
    return [
        (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
        for b in regions.values_list("bbox", flat=True)
        if b and len(b) == 4
    ]


def tile_range(extent: Extent, z: int) -> tuple[range, range]:
    """The x and y tile numbers at zoom ``z`` that cover ``extent``."""
    minlon, minlat, maxlon, maxlat = extent
    x0, y0 = lonlat_to_tile(minlon, maxlat, z)
    x1, y1 = lonlat_to_tile(maxlon, minlat, z)
    return range(x0, x1 + 1), range(y0, y1 + 1)


def tile_in_extents(extents: list[Extent], z: int, x: int, y: int) -> bool:
    """Whether tile z/x/y overlaps any region's extent."""
    for extent in extents:
        xs, ys = tile_range(extent, z)
        if x in xs and y in ys:
            return True
    return False


@dataclass
class _Loaded:
    version: str
    index: BasemapIndex
    extents: list[Extent]


_lock = threading.Lock()
_loaded: _Loaded | None = None


def current() -> _Loaded:
    """The index for the files on disk now, rebuilt only when they change."""
    global _loaded
    files = basemap_files()
    version = _version(files)
    with _lock:
        if _loaded is None or _loaded.version != version:
            features = chain(iter_geojson_features(files), _boundary_features())
            index = BasemapIndex.from_features(features)
            _loaded = _Loaded(version, index, region_extents())
        return _loaded


def tile_path(loaded: _Loaded, z: int, x: int, y: int) -> Path:
    return Path(settings.VAR_DIR) / "tiles" / loaded.version / str(z) / str(x) / f"{y}.png"


def cached_tile(loaded: _Loaded, z: int, x: int, y: int) -> bytes:
    """A rendered tile, from the disk cache when it is there, else drawn and stored (no
    database access). Callers check the extent and the user first."""
    cached = tile_path(loaded, z, x, y)
    if cached.exists():
        return cached.read_bytes()
    png = render_tile(loaded.index, z, x, y)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{threading.get_ident()}.tmp")
    partial.write_bytes(png)
    partial.replace(cached)
    return png
