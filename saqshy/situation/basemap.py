"""Adapter from the stored basemap files to the pure tile renderer.

The committed demo bundle (``data/basemap/*.geojson.gz``) and the basemaps written by
``import_osm`` (``var/basemap/*.geojson.gz``) are read once per process, together with the
region boundaries, into one index; rendered tiles are cached on disk under a key that changes
whenever any of those inputs change.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from django.conf import settings

from saqshy.accounts.models import Region
from saqshy.algorithms.basemap import BasemapIndex, render_tile
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
    stamp.update(str(Region.objects.count()).encode())
    return stamp.hexdigest()[:16]


@dataclass
class _Loaded:
    version: str
    index: BasemapIndex


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
            _loaded = _Loaded(version, index)
        return _loaded


def cached_tile(loaded: _Loaded, z: int, x: int, y: int) -> bytes:
    """A rendered tile, from the disk cache when it is there (no database access)."""
    cached = settings.VAR_DIR / "tiles" / loaded.version / str(z) / str(x) / f"{y}.png"
    if cached.exists():
        return cached.read_bytes()
    png = render_tile(loaded.index, z, x, y)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{threading.get_ident()}.tmp")
    partial.write_bytes(png)
    partial.replace(cached)
    return png
