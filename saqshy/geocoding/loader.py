"""The geocoding indexes of every region, built in memory from the stored files.

Each region's index comes from its basemap file (``var/basemap/<slug>.geojson.gz`` from an
OSM import, else the committed ``data/basemap/<slug>.geojson.gz``) and is rebuilt when that
file changes (size or modification time); its named facilities form a second, small index
rebuilt when any facility changes. Nothing is stored in the database, so it works the same on
SQLite and PostgreSQL. A process builds an index on first use (3-9 s for Astana's 22,000
addresses); a page offering address search (the intake form, the situation map) starts
building the file indexes in a background thread first. ``manage.py geocode_index`` builds
them all once and says what they hold.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from saqshy.accounts.models import Region
from saqshy.algorithms.basemap.tilemath import iter_geojson_features
from saqshy.algorithms.geocode import Names, PlaceRecord, RegionIndex, records_from_features
from saqshy.facilities.models import Facility

SUFFIX = ".geojson.gz"

logger = logging.getLogger(__name__)


def basemap_files() -> dict[str, Path]:
    """Region slug -> its basemap file (an imported one over the committed one)."""
    found: dict[str, Path] = {}
    for folder in (settings.DATA_DIR / "basemap", settings.VAR_DIR / "basemap"):
        if folder.is_dir():
            for path in sorted(folder.glob(f"*{SUFFIX}")):
                found[path.name[: -len(SUFFIX)]] = path
    return found


def _stamp(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return str(path), info.st_size, info.st_mtime_ns


@dataclass
class _Cached:
    version: object
    index: RegionIndex


_lock = threading.Lock()
_files: dict[str, _Cached] = {}
_facilities: dict[str, _Cached] = {}


def file_index(slug: str, path: Path) -> RegionIndex:
    """The index of one region's basemap file, rebuilt only when the file changes."""
    version = _stamp(path)
    with _lock:
        cached = _files.get(slug)
        if cached is None or cached.version != version:
            records = records_from_features(iter_geojson_features([path]))
            index = RegionIndex.build(slug, records.streets, records.addresses, records.places)
            cached = _files[slug] = _Cached(version, index)
        return cached.index


def _facility_records(region_id: int) -> Iterable[PlaceRecord]:
    rows = (
        Facility.objects.filter(region_id=region_id)
        .exclude(name="", name_kk="", name_ru="", name_en="")
        .values_list("name", "name_kk", "name_ru", "name_en", "lat", "lon")
    )
    for name, kk, ru, en, lat, lon in rows:
        if lat is None or lon is None:
            continue
        yield PlaceRecord(
            Names(name or ru or kk or en, kk, ru, en), float(lon), float(lat), "facility"
        )


def facility_index(region: Region) -> RegionIndex:
    """The named facilities of ``region``, rebuilt when any of them changes."""
    stats = Facility.objects.filter(region=region).aggregate(n=Count("id"), last=Max("updated_at"))
    version = (stats["n"], str(stats["last"]))
    with _lock:
        cached = _facilities.get(region.slug)
        if cached is None or cached.version != version:
            index = RegionIndex.build(region.slug, places=_facility_records(region.pk))
            cached = _facilities[region.slug] = _Cached(version, index)
        return cached.index


def indexes(regions: Iterable[Region]) -> list[RegionIndex]:
    """The indexes (basemap, then facilities) of ``regions``."""
    files = basemap_files()
    out: list[RegionIndex] = []
    for region in regions:
        if region.slug in files:
            out.append(file_index(region.slug, files[region.slug]))
        out.append(facility_index(region))
    return out


def address_indexes(regions: Iterable[Region]) -> list[RegionIndex]:
    """The basemap indexes of ``regions`` (addresses, streets, places; no facilities)."""
    files = basemap_files()
    return [file_index(r.slug, files[r.slug]) for r in regions if r.slug in files]


_warming: threading.Thread | None = None


def warm_files_in_background() -> None:
    """Start building every basemap file's index in a thread, once per process, so the first
    search typed on a page that offers one does not wait for it (files only: no database)."""
    global _warming
    with _lock:
        if _warming is not None or _files:
            return
        files = basemap_files()

        def build() -> None:
            for slug, path in files.items():
                try:
                    file_index(slug, path)
                except Exception:  # the first real look-up builds it again and reports
                    logger.exception("building the geocoding index of %s failed", slug)

        _warming = threading.Thread(target=build, name="geocode-warm", daemon=True)
        _warming.start()


def warm() -> dict[str, int]:
    """Build every region's indexes now; the number of addresses indexed per region."""
    counts: dict[str, int] = {}
    for index in indexes(Region.objects.order_by("slug")):
        counts[index.region] = counts.get(index.region, 0) + len(index.addresses)
    return counts


def clear() -> None:
    """Forget every index (tests)."""
    global _warming
    with _lock:
        _files.clear()
        _facilities.clear()
        _warming = None
