"""Plain data records produced by the OSM reader.

Every record is a frozen dataclass so that downstream code (the Django importers, the demo
bundle, the routing graph builder) can rely on them being immutable values. Geometries are
GeoJSON-shaped dicts in lon/lat (EPSG:4326) so that the records serialise to JSON without a
geometry library; the reader itself uses shapely internally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

GeoJSON = dict[str, Any]
"""A GeoJSON geometry object (``{"type": ..., "coordinates": ...}``) in lon/lat."""

ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``: called as reading advances so a caller can draw a progress bar."""


class OsmReadError(Exception):
    """Raised for any OSM input that cannot be read; the message names the offending file."""


@dataclass(frozen=True)
class FacilityRecord:
    """A facility worth planning around (school, hospital, police station, mall, ...).

    ``osm_ref`` is ``"node/123"``, ``"way/456"`` or ``"relation/7"``. ``lat``/``lon`` is a
    point guaranteed to lie inside the footprint when there is one. ``footprint`` is a GeoJSON
    Polygon/MultiPolygon rounded to 6 decimals. ``capacity_source`` is ``"osm"`` when the OSM
    ``capacity`` tag was used, ``"estimated"`` when derived from floor area (see
    ``capacity.py``) and ``""`` when unknown.
    """

    osm_ref: str
    kind: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    address: str
    lat: float
    lon: float
    footprint: GeoJSON | None = field(hash=False)
    capacity: int | None
    capacity_source: str
    operator: str
    phone: str
    website: str
    storeys: int | None
    tags: dict[str, str] = field(hash=False)


@dataclass(frozen=True)
class RoadRecord:
    """One OSM way with a ``highway`` tag, vertices in OSM order as (lon, lat).

    ``oneway``, ``junction`` and ``maxspeed`` are copied verbatim from OSM (empty string when
    absent) because the routing graph interprets them later. A way cut by the edge of the
    source extract can yield several records with the same ``osm_id``.
    """

    osm_id: int
    highway: str
    name: str
    oneway: str
    junction: str
    maxspeed: str
    lanes: str
    coords: tuple[tuple[float, float], ...]
    names: dict[str, str] = field(default_factory=dict, hash=False)
    """``name:kk``/``name:ru``/``name:en`` as tagged (keys are the language codes)."""


@dataclass(frozen=True)
class BuildingRecord:
    """A building footprint (GeoJSON Polygon/MultiPolygon, 6 decimals) and its storey count.

    ``street`` and ``housenumber`` are its ``addr:street``/``addr:housenumber`` (empty when
    untagged), ``name`` its display name. ``use`` is the compact use class of its
    ``building=*`` value (``residential``, ``other``, or empty for a plain ``building=yes``
    with nothing else telling its use; see ``uses.building_use``).
    """

    osm_ref: str
    geometry: GeoJSON = field(hash=False)
    levels: int | None
    street: str = ""
    housenumber: str = ""
    name: str = ""
    use: str = ""


@dataclass(frozen=True)
class PlaceRecord:
    """A named place (``place=suburb``, ``neighbourhood``, ``square`` ...) as a point."""

    osm_ref: str
    kind: str
    name: str
    names: dict[str, str] = field(hash=False)
    lon: float
    lat: float


@dataclass(frozen=True)
class AddressRecord:
    """An address that is not a building outline: an entrance or address node, a plot."""

    osm_ref: str
    street: str
    housenumber: str
    lon: float
    lat: float


@dataclass(frozen=True)
class WaterRecord:
    """Water for the basemap: a lake/reservoir/riverbank polygon or a river/canal/stream line.

    ``kind`` is the OSM value that qualified it (``water``, ``riverbank``, ``reservoir``,
    ``basin``, ``river``, ``canal``, ``stream``).
    """

    osm_ref: str
    kind: str
    name: str
    geometry: GeoJSON = field(hash=False)


@dataclass(frozen=True)
class OsmExtract:
    """Everything read from one OSM source, each list sorted for deterministic output."""

    facilities: list[FacilityRecord] = field(hash=False)
    roads: list[RoadRecord] = field(hash=False)
    buildings: list[BuildingRecord] = field(hash=False)
    water: list[WaterRecord] = field(hash=False)
    source: str
    places: list[PlaceRecord] = field(default_factory=list, hash=False)
    addresses: list[AddressRecord] = field(default_factory=list, hash=False)


@dataclass(frozen=True)
class RawFeature:
    """Reader-neutral intermediate: one OSM object with its tags and lon/lat geometry.

    Both the vector-tile and the PBF reader reduce their input to these (plus roads, which
    need reader-specific vertex handling); ``assemble`` turns them into records.
    """

    osm_ref: str
    tags: dict[str, str] = field(hash=False)
    geometry: BaseGeometry = field(hash=False)


_TYPE_RANK = {"node": 0, "way": 1, "relation": 2}


def ref_sort_key(osm_ref: str) -> tuple[int, int]:
    """Sort key for ``"type/id"`` references: by type (node, way, relation), then numeric id."""
    kind, _, ident = osm_ref.partition("/")
    return _TYPE_RANK.get(kind, 3), int(ident) if ident.lstrip("-").isdigit() else 0
