"""An offline geocoder over one region's OSM addresses, streets, places and facilities.

``RegionIndex.build`` takes plain records (``AddressRecord``, ``StreetRecord``,
``PlaceRecord``) in lon/lat. Forward search (``search``) parses the query into a name, a
house number and a street type (``normalise.parse_query``), matches the name fuzzily
(rapidfuzz) against the transliterated keys of street, place and facility names, and looks the
house number up on the matched streets. Reverse geocoding (``reverse``) projects the point to
local metres and asks STRtrees for the nearest building footprint or address point within
``ADDRESS_RADIUS_M``, else the nearest named street line within ``STREET_RADIUS_M``, else the
nearest named place within ``PLACE_RADIUS_M``.

What it does not do (unlike Nominatim or Photon): interpolate house numbers along a street,
know the administrative hierarchy (district, city) of a result, or rank by importance.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import shapely
from rapidfuzz import fuzz, process
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from .normalise import house_base, house_key, key, parse_query, split_street

Kind = Literal["address", "street", "place", "facility"]
LANGUAGES = ("kk", "ru", "en")

ADDRESS_RADIUS_M = 40.0
"""A point this close to a building footprint (or address point) takes its address."""
STREET_RADIUS_M = 250.0
"""Farther from every address, a point this close to a named street is "on" that street."""
PLACE_RADIUS_M = 2000.0
"""Farther from every street, the nearest named place this close names the point."""
MATCH_CUTOFF = 72.0
"""The least rapidfuzz WRatio (0-100) for a name to count as a match."""
MATCH_LIMIT = 40
"""Names considered per query and kind before house numbers are looked up."""

_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")

METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_EQUATOR = 111_320.0


@dataclass(frozen=True)
class Names:
    """A name as tagged: ``name`` (usually Russian here) and its ``name:kk/ru/en``."""

    local: str
    kk: str = ""
    ru: str = ""
    en: str = ""

    def label(self, language: str) -> str:
        """The name in ``language`` where tagged, else the local name, else any."""
        own = getattr(self, language, "") if language in LANGUAGES else ""
        return str(own or self.local or self.ru or self.kk or self.en)

    def variants(self) -> list[str]:
        return [n for n in dict.fromkeys((self.local, self.kk, self.ru, self.en)) if n]

    def merged(self, other: Names) -> Names:
        """These names with the languages they lack taken from ``other``."""
        return Names(
            self.local or other.local,
            self.kk or other.kk,
            self.ru or other.ru,
            self.en or other.en,
        )


@dataclass(frozen=True)
class AddressRecord:
    """A building (footprint) or address point with ``addr:street`` and ``addr:housenumber``."""

    street: str
    housenumber: str
    lon: float
    lat: float
    footprint: BaseGeometry | None = None
    """The building polygon in lon/lat, None for an address point."""


@dataclass(frozen=True)
class StreetRecord:
    """One named road line (lon/lat vertices)."""

    names: Names
    coords: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class PlaceRecord:
    """A named point: an OSM place (``kind`` city, suburb …) or a facility (``kind`` facility)."""

    names: Names
    lon: float
    lat: float
    kind: str = "place"


@dataclass(frozen=True)
class Hit:
    """One geocoding answer. ``score`` is 0-1 (forward search), ``distance_m`` the distance
    from the asked point (reverse)."""

    label: str
    lat: float
    lon: float
    kind: Kind
    region: str
    score: float = 1.0
    distance_m: float = 0.0
    street: str = ""
    housenumber: str = ""


@dataclass
class _Street:
    names: Names
    street_type: str | None
    lines: list[tuple[tuple[float, float], ...]] = field(default_factory=list)
    addresses: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    """house key -> indexes into ``RegionIndex.addresses``."""
    point: tuple[float, float] | None = None
    """A point on the street (lon, lat) to show for the street as a whole."""


@dataclass(frozen=True)
class _Address:
    street: int
    housenumber: str
    lon: float
    lat: float


@dataclass(frozen=True)
class _Place:
    names: Names
    lon: float
    lat: float
    kind: Kind


@dataclass(frozen=True)
class LocalProjection:
    """Equirectangular metres around a reference latitude: within a city the error is far
    below a building's size, and it keeps reverse look-ups to plain Euclidean geometry."""

    lat0: float

    @property
    def kx(self) -> float:
        return METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(self.lat0))

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.kx, (lat - self.lat0) * METRES_PER_DEGREE_LAT

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        return x / self.kx, y / METRES_PER_DEGREE_LAT + self.lat0

    def geometries(self, geoms: Sequence[BaseGeometry]) -> Any:
        """Lon/lat geometries in these metres, all in one vectorised transform."""
        kx, lat0 = self.kx, self.lat0

        def project(coords: np.ndarray) -> np.ndarray:
            out = np.empty_like(coords)
            out[:, 0] = coords[:, 0] * kx
            out[:, 1] = (coords[:, 1] - lat0) * METRES_PER_DEGREE_LAT
            return out

        array = np.empty(len(geoms), dtype=object)
        array[:] = list(geoms)
        return shapely.transform(array, project)


def _street_identity(name: str) -> tuple[str, str]:
    """Streets are one when their name keys (without the type word) and types agree."""
    name_key, kind = split_street(name)
    return name_key, kind or ""


def address_label(street: str, housenumber: str, language: str) -> str:
    """The kk and ru form "проспект Кабанбай Батыра, 53"; in English "Kabanbay Batyr Avenue
    53", or with the comma for a street that has no English name."""
    if not housenumber:
        return street
    if language == "en" and not _CYRILLIC_LETTER.search(street):
        return f"{street} {housenumber}"
    return f"{street}, {housenumber}"


class RegionIndex:
    """The geocoding index of one region (see the module docstring)."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.streets: list[_Street] = []
        self.addresses: list[_Address] = []
        self.places: list[_Place] = []
        self.projection = LocalProjection(0.0)
        self._street_keys: list[str] = []
        self._street_of_key: list[list[int]] = []
        self._place_keys: list[str] = []
        self._place_of_key: list[list[int]] = []
        self._address_tree: shapely.STRtree | None = None
        self._address_geoms: list[BaseGeometry] = []
        self._address_of_geom: list[int] = []
        self._street_tree: shapely.STRtree | None = None
        self._street_of_line: list[int] = []
        self._street_lines: list[BaseGeometry] = []
        self._place_tree: shapely.STRtree | None = None
        self._place_points: list[BaseGeometry] = []
        self.bounds: tuple[float, float, float, float] | None = None

    # --- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        region: str,
        streets: Iterable[StreetRecord] = (),
        addresses: Iterable[AddressRecord] = (),
        places: Iterable[PlaceRecord] = (),
    ) -> RegionIndex:
        index = cls(region)
        streets, addresses, places = list(streets), list(addresses), list(places)
        lats = [a.lat for a in addresses] + [p.lat for p in places]
        lats += [lat for s in streets for _lon, lat in s.coords[:1]]
        index.projection = LocalProjection(float(np.mean(lats)) if lats else 0.0)
        by_identity: dict[tuple[str, str], int] = {}

        def street_for(name: str, names: Names | None = None) -> int:
            identity = _street_identity(name)
            position = by_identity.get(identity)
            if position is None:
                position = len(index.streets)
                by_identity[identity] = position
                index.streets.append(_Street(names or Names(name), identity[1] or None))
            elif names is not None:
                current = index.streets[position]
                current.names = current.names.merged(names)
            return position

        for street in streets:
            if not street.names.local or len(street.coords) < 2:
                continue
            position = street_for(street.names.local, street.names)
            index.streets[position].lines.append(street.coords)
        for address in addresses:
            number = house_key(address.housenumber)
            if not address.street.strip() or not number:
                continue
            position = street_for(address.street)
            index.streets[position].addresses[number].append(len(index.addresses))
            index.addresses.append(
                _Address(position, address.housenumber.strip(), address.lon, address.lat)
            )
            geom = address.footprint
            index._address_geoms.append(
                geom if geom is not None and not geom.is_empty else Point(address.lon, address.lat)
            )
            index._address_of_geom.append(len(index.addresses) - 1)
        for place in places:
            if not place.names.variants():
                continue
            kind: Kind = "facility" if place.kind == "facility" else "place"
            index.places.append(_Place(place.names, place.lon, place.lat, kind))
        index._finish()
        return index

    def _finish(self) -> None:
        keys: dict[str, list[int]] = defaultdict(list)
        for position, street in enumerate(self.streets):
            for variant in street.names.variants():
                name_key, _kind = split_street(variant)
                if name_key and position not in keys[name_key]:
                    keys[name_key].append(position)
            street.point = self._street_point(street)
        self._street_keys = list(keys)
        self._street_of_key = list(keys.values())
        place_keys: dict[str, list[int]] = defaultdict(list)
        for position, place in enumerate(self.places):
            for variant in place.names.variants():
                name_key = key(variant)
                if name_key and position not in place_keys[name_key]:
                    place_keys[name_key].append(position)
        self._place_keys = list(place_keys)
        self._place_of_key = list(place_keys.values())
        if self._address_geoms:
            self._address_geoms = list(self.projection.geometries(self._address_geoms))
            self._address_tree = shapely.STRtree(self._address_geoms)
        lines: list[BaseGeometry] = []
        for position, street in enumerate(self.streets):
            for coords in street.lines:
                lines.append(LineString(coords))
                self._street_of_line.append(position)
        self._street_lines = list(self.projection.geometries(lines)) if lines else []
        if lines:
            self._street_tree = shapely.STRtree(self._street_lines)
        self._place_points = [Point(self.projection.xy(p.lon, p.lat)) for p in self.places]
        if self._place_points:
            self._place_tree = shapely.STRtree(self._place_points)
        every = [(a.lon, a.lat) for a in self.addresses] + [(p.lon, p.lat) for p in self.places]
        every += [c for s in self.streets for line in s.lines for c in line]
        if every:
            array = np.asarray(every)
            self.bounds = (
                float(array[:, 0].min()),
                float(array[:, 1].min()),
                float(array[:, 0].max()),
                float(array[:, 1].max()),
            )

    def _street_point(self, street: _Street) -> tuple[float, float] | None:
        """The vertex of the street's lines nearest their centre, else its addresses' middle."""
        coords = [c for line in street.lines for c in line]
        if not coords:
            points = [
                (self.addresses[i].lon, self.addresses[i].lat)
                for numbers in street.addresses.values()
                for i in numbers
            ]
            if not points:
                return None
            coords = points
        array = np.asarray(coords)
        centre = array.mean(axis=0)
        nearest = int(np.argmin(((array - centre) ** 2).sum(axis=1)))
        return float(array[nearest, 0]), float(array[nearest, 1])

    # --- forward --------------------------------------------------------------------------

    def search(self, query: str, language: str = "ru", limit: int = 10) -> list[Hit]:
        """Candidates for ``query``, best first (at most ``limit``)."""
        parsed = parse_query(query)
        hits: list[Hit] = []
        if parsed.name and self._street_keys:
            for _key, similarity, position in process.extract(
                parsed.name,
                self._street_keys,
                scorer=fuzz.WRatio,
                limit=MATCH_LIMIT,
                score_cutoff=MATCH_CUTOFF,
            ):
                for street_index in self._street_of_key[position]:
                    hits.extend(self._street_hits(street_index, similarity, parsed, language))
        whole = key(query)
        if whole and self._place_keys:
            for _key, similarity, position in process.extract(
                whole,
                self._place_keys,
                scorer=fuzz.WRatio,
                limit=MATCH_LIMIT,
                score_cutoff=MATCH_CUTOFF,
            ):
                for place_index in self._place_of_key[position]:
                    place = self.places[place_index]
                    weight = 0.97 if place.kind == "place" else 0.93
                    hits.append(
                        Hit(
                            label=place.names.label(language),
                            lat=place.lat,
                            lon=place.lon,
                            kind=place.kind,
                            region=self.region,
                            score=round(similarity / 100.0 * weight, 4),
                        )
                    )
        return rank(hits, limit)

    def _street_hits(
        self, street_index: int, similarity: float, parsed: Any, language: str
    ) -> list[Hit]:
        """The street's answers for a query: the house asked for (or, lacking it, its
        nearest relatives on the street, labelled with their own numbers), then the street.

        Name similarity enters squared, so an exact street name without the house number
        outranks a merely similar name that has it."""
        street = self.streets[street_index]
        base = (similarity / 100.0) ** 2
        if parsed.street_type and street.street_type and parsed.street_type != street.street_type:
            base *= 0.9
        name = street.names.label(language)
        hits: list[Hit] = []
        if parsed.house:
            for address_index, weight in self._house_candidates(street, parsed.house):
                address = self.addresses[address_index]
                hits.append(
                    Hit(
                        label=address_label(name, address.housenumber, language),
                        lat=address.lat,
                        lon=address.lon,
                        kind="address",
                        region=self.region,
                        score=round(base * weight, 4),
                        street=name,
                        housenumber=address.housenumber,
                    )
                )
        if street.point is not None:
            weight = 0.75 if parsed.house else 0.95
            hits.append(
                Hit(
                    label=name,
                    lon=street.point[0],
                    lat=street.point[1],
                    kind="street",
                    region=self.region,
                    score=round(base * weight, 4),
                    street=name,
                )
            )
        return hits

    def _house_candidates(self, street: _Street, house: str) -> list[tuple[int, float]]:
        """(address index, weight): the exact number (1.0); else the numbers sharing its
        digits, "53/1" or "53a" for "53" (0.9); else the numerically nearest number on the
        street, the other side (parity) counting as four numbers farther (0.8): a real
        building, not an interpolated point."""
        exact = self._medoid_first(street.addresses.get(house, []))
        if exact:
            return [(i, 1.0) for i in exact]
        wanted = house_base(house)
        relatives = [
            (members[0], 0.9)
            for number, members in street.addresses.items()
            if house_base(number) == wanted and members
        ]
        if relatives or not wanted.isdigit():
            return relatives
        target = int(wanted)
        best: tuple[int, int] | None = None
        for number, members in street.addresses.items():
            digits = house_base(number)
            if not digits.isdigit() or not members:
                continue
            value = int(digits)
            rank_key = abs(value - target) + 4 * ((value - target) % 2)
            if best is None or rank_key < best[0]:
                best = (rank_key, members[0])
        return [(best[1], 0.8)] if best is not None else []

    def _medoid_first(self, members: list[int]) -> list[int]:
        """Buildings sharing one address, the one nearest their median first (a campus's
        main building rather than an outlying one)."""
        if len(members) < 3:
            return members
        points = np.asarray([(self.addresses[i].lon, self.addresses[i].lat) for i in members])
        middle = np.median(points, axis=0)
        order = np.argsort(((points - middle) ** 2).sum(axis=1), kind="stable")
        return [members[int(i)] for i in order]

    # --- reverse --------------------------------------------------------------------------

    def covers(self, lat: float, lon: float, margin_m: float = PLACE_RADIUS_M) -> bool:
        """Whether (lat, lon) is within ``margin_m`` of this index's extent."""
        if self.bounds is None:
            return False
        dlat = margin_m / METRES_PER_DEGREE_LAT
        dlon = margin_m / max(self.projection.kx, 1.0)
        minlon, minlat, maxlon, maxlat = self.bounds
        return minlon - dlon <= lon <= maxlon + dlon and minlat - dlat <= lat <= maxlat + dlat

    def reverse(self, lat: float, lon: float, language: str = "ru") -> Hit | None:
        """The nearest address, else street, else place (see the module docstring)."""
        here = Point(self.projection.xy(lon, lat))
        if self._address_tree is not None:
            found = self._nearest(self._address_tree, here, ADDRESS_RADIUS_M)
            if found is not None:
                position, distance = found
                address = self.addresses[self._address_of_geom[position]]
                name = self.streets[address.street].names.label(language)
                return Hit(
                    label=address_label(name, address.housenumber, language),
                    lat=address.lat,
                    lon=address.lon,
                    kind="address",
                    region=self.region,
                    distance_m=round(distance, 1),
                    street=name,
                    housenumber=address.housenumber,
                )
        if self._street_tree is not None:
            found = self._nearest(self._street_tree, here, STREET_RADIUS_M)
            if found is not None:
                position, distance = found
                line = self._street_lines[position]
                on_line = line.interpolate(line.project(here))
                point_lon, point_lat = self.projection.lonlat(on_line.x, on_line.y)
                name = self.streets[self._street_of_line[position]].names.label(language)
                return Hit(
                    label=name,
                    lat=point_lat,
                    lon=point_lon,
                    kind="street",
                    region=self.region,
                    distance_m=round(distance, 1),
                    street=name,
                )
        if self._place_tree is not None:
            found = self._nearest(self._place_tree, here, PLACE_RADIUS_M)
            if found is not None:
                position, distance = found
                place = self.places[position]
                return Hit(
                    label=place.names.label(language),
                    lat=place.lat,
                    lon=place.lon,
                    kind=place.kind,
                    region=self.region,
                    distance_m=round(distance, 1),
                )
        return None

    @staticmethod
    def _nearest(tree: shapely.STRtree, here: Point, radius: float) -> tuple[int, float] | None:
        """The nearest geometry within ``radius`` (lowest index among equals)."""
        positions, distances = tree.query_nearest(
            here, max_distance=radius, return_distance=True, all_matches=True
        )
        if len(positions) == 0:
            return None
        order = sorted(zip(distances.tolist(), positions.tolist(), strict=True))
        distance, position = order[0]
        return int(position), float(distance)


def rank(hits: Sequence[Hit], limit: int) -> list[Hit]:
    """Best score first; one hit per label and kind (the best); at most ``limit``."""
    best: dict[tuple[str, str, str], Hit] = {}
    for hit in hits:
        identity = (hit.kind, hit.label, hit.region)
        if identity not in best or hit.score > best[identity].score:
            best[identity] = hit
    ordered = sorted(best.values(), key=lambda h: (-h.score, h.kind != "address", h.label))
    return ordered[: max(0, limit)]


def footprint_centre(footprint: Polygon | BaseGeometry) -> tuple[float, float]:
    """A building's centre (lon, lat): its centroid, or a point inside it when the centroid
    falls outside (an L- or U-shaped building)."""
    centre = footprint.centroid
    if not footprint.contains(centre):
        centre = footprint.representative_point()
    return float(centre.x), float(centre.y)
