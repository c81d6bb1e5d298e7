"""Loading the highway network and the road names (``data/roads/``) into segments.

``import_highways`` creates or updates one ``Segment`` per feature of a highway GeoJSON file
(``data/roads/kz_highways.geojson``, derived by ``saqshy/demo/bundle.py``), matched by its
code: the region is the one holding the segment's midpoint (else either end, else the nearest
region centre, for the few segments the source's border buffer puts just outside), and each
end is named after the place it lies in: the city of republican significance, else the
district, in kk/ru/en. What the road authority edits (name, number, speed) is never touched
by a re-import.

``apply_names`` gives segments their road number and kk/ru/en names from ``names.json``: an
entry lists segment codes, or two junctions whose quickest chain of segments (on the network
as loaded, ignoring closures) it names. Segments someone already named are kept as they are.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from shapely import STRtree
from shapely.geometry import Point, shape

from saqshy.accounts.choices import RegionKind
from saqshy.accounts.models import District, Region
from saqshy.accounts.queries import region_locator
from saqshy.core import audit
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.core.services import require_scope
from saqshy.roads.models import Segment

IMPORTED_FIELDS = (
    "region_id",
    "from_node",
    "to_node",
    "geometry",
    "length_km",
    "from_place",
    "from_place_kk",
    "from_place_ru",
    "to_place",
    "to_place_kk",
    "to_place_ru",
)
NAMED_FIELDS = ("number", "name", "name_kk", "name_ru")
LANGUAGE_SUFFIX = {"en": "", "kk": "_kk", "ru": "_ru"}


@dataclass
class ImportResult:
    segments: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    km: float = 0.0
    per_region: Counter[str] = field(default_factory=Counter)


@dataclass
class NamesResult:
    roads: int = 0
    named: int = 0
    kept: int = 0
    unknown: list[str] = field(default_factory=list)


class _Places:
    """Names the place a point lies in: a city of republican significance by its region's
    name, else its district's, else the nearest district's (points just over a border)."""

    def __init__(self) -> None:
        self.locate_region = region_locator()
        self.regions = {r.pk: r for r in Region.objects.all()}
        rows = list(District.objects.with_outlines().exclude(boundary=None).order_by("pk"))
        self.districts = rows
        shapes = [shape(d.boundary) for d in rows]
        self.tree = STRtree(shapes) if shapes else None
        self.labels = {d.pk: self._label(d, rows) for d in rows}

    def _label(self, district: District, rows: list[District]) -> tuple[str, str, str]:
        """A district's name in en/kk/ru, told apart from namesakes: by its region's name
        (Zhambyl in Almaty, Jambyl and North Kazakhstan regions), and a district from the
        city of the same name in one region (Kostanay district, Kostanay city) by the word
        "district"."""
        names = [district.name_en, district.name_kk or district.name_en]
        names.append(district.name_ru or district.name_en)
        namesakes = [d for d in rows if d.name_en == district.name_en and d.pk != district.pk]
        if any(d.region_id == district.region_id for d in namesakes) and not (
            district.slug.endswith("-city")
        ):
            names = [f"{names[0]} district", f"{names[1]} ауданы", names[2]]
            if not names[2].endswith(("ский", "цкий")):
                names[2] = f"{names[2]} район"
        if any(d.region_id != district.region_id for d in namesakes):
            region = self.regions.get(district.region_id)
            if region is not None:
                own = (region.name_en, region.name_kk, region.name_ru)
                names = [f"{n} ({r or region.name_en})" for n, r in zip(names, own, strict=True)]
        return names[0], names[1], names[2]

    def names(self, lat: float, lon: float) -> tuple[str, str, str]:
        region_id = self.locate_region(lat, lon)
        region = self.regions.get(region_id) if region_id is not None else None
        if region is not None and region.kind == RegionKind.CITY:
            return region.name_en, region.name_kk, region.name_ru
        if self.tree is not None:
            point = Point(lon, lat)
            hits = sorted(int(i) for i in self.tree.query(point, predicate="intersects"))
            index = hits[0] if hits else int(self.tree.nearest(point))
            d = self.districts[index]
            region = self.regions.get(d.region_id)
            if region is not None and region.kind == RegionKind.CITY:
                return region.name_en, region.name_kk, region.name_ru
            return self.labels[d.pk]
        if region is not None:
            return region.name_en, region.name_kk, region.name_ru
        return "", "", ""


def _region_for(
    locate: Callable[[float, float], int | None],
    regions: list[Region],
    coords: list[list[float]],
) -> int | None:
    (lon1, lat1), (lon2, lat2) = coords[0][:2], coords[-1][:2]
    middle = coords[len(coords) // 2] if len(coords) > 2 else [(lon1 + lon2) / 2, (lat1 + lat2) / 2]
    for lon, lat in (middle[:2], (lon1, lat1), (lon2, lat2)):
        region_id = locate(float(lat), float(lon))
        if region_id is not None:
            return region_id
    with_centre = [r for r in regions if r.centre_lat is not None and r.centre_lon is not None]
    if not with_centre:
        return None
    lat, lon = float(middle[1]), float(middle[0])
    k = math.cos(math.radians(lat))
    nearest = min(
        with_centre,
        key=lambda r: ((r.centre_lon or 0) - lon) ** 2 * k * k + ((r.centre_lat or 0) - lat) ** 2,
    )
    return nearest.pk


def _features(collection: dict[str, Any]) -> list[dict[str, Any]]:
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValidationError({"file": ["Expected a GeoJSON FeatureCollection."]})
    features = collection.get("features") or []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") or []
        if geometry.get("type") != "LineString" or len(coords) < 2:
            raise ValidationError({"geometry": [f"Feature {number} is not a LineString."]})
        if "from_node" not in props or "to_node" not in props or "length_km" not in props:
            raise ValidationError(
                {"properties": [f"Feature {number} lacks from_node, to_node or length_km."]}
            )
    return features


def import_highways(
    *,
    acting_user: Any,
    collection: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update the segments of ``collection`` (matched by code); all or nothing.

    Every created or changed segment gets its own audit entry; the map is told once to
    reload. The road authority's fields (name, number, speed) of existing segments stay.
    """
    features = _features(collection)
    regions = list(Region.objects.all())
    if not regions:
        raise ValidationError({"region": ["Load the regions before the highways."]})
    by_id = {r.pk: r for r in regions}
    require_scope(acting_user, Segment(region=regions[0]), "add")
    locate = region_locator()
    places = _Places()
    result = ImportResult()
    codes = [_code(f) for f in features]
    existing = {s.code: s for s in Segment.objects.filter(code__in=codes)}
    to_create: list[Segment] = []
    to_update: list[tuple[Segment, dict[str, Any], dict[str, Any]]] = []
    now = timezone.now()
    for done, (code, feature) in enumerate(zip(codes, features, strict=True), start=1):
        if progress:
            progress(done)
        props, coords = feature["properties"], feature["geometry"]["coordinates"]
        region_id = _region_for(locate, regions, coords)
        if region_id is None:
            raise ValidationError({"region": [f"No region for segment {code}."]})
        (lon1, lat1), (lon2, lat2) = coords[0][:2], coords[-1][:2]
        start, end = places.names(lat1, lon1), places.names(lat2, lon2)
        values: dict[str, Any] = {
            "region_id": region_id,
            "from_node": int(props["from_node"]),
            "to_node": int(props["to_node"]),
            "geometry": {"type": "LineString", "coordinates": [list(c[:2]) for c in coords]},
            "length_km": round(float(props["length_km"]), 3),
            "from_place": start[0],
            "from_place_kk": start[1],
            "from_place_ru": start[2],
            "to_place": end[0],
            "to_place_kk": end[1],
            "to_place_ru": end[2],
        }
        result.segments += 1
        result.km += values["length_km"]
        result.per_region[by_id[region_id].slug] += 1
        current = existing.get(code)
        if current is None:
            segment = Segment(code=code, **values)
            segment.full_clean(validate_unique=False)
            to_create.append(segment)
            continue
        before = audit.snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.updated_at = now
        old, new = audit.diff(before, audit.snapshot(current))
        new.pop("updated_at", None)
        if new:
            current.full_clean(validate_unique=False)
            to_update.append((current, old, new))
        else:
            result.unchanged += 1
    with transaction.atomic():
        Segment.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Segment.objects.bulk_update(
                [s for s, _old, _new in to_update],
                [*(f.removesuffix("_id") for f in IMPORTED_FIELDS), "updated_at"],
                batch_size=500,
            )
        created = list(Segment.objects.filter(code__in=[s.code for s in to_create]))
        audit.record(
            acting_user=acting_user,
            changes=[
                *(audit.Change("create", s, s.region_id, after=audit.snapshot(s)) for s in created),
                *(
                    audit.Change("update", s, s.region_id, before=o, after=n)
                    for s, o, n in to_update
                ),
            ],
        )
        if created or to_update:
            publish_on_commit(
                topic="segment",
                op="reloaded",
                object_id=0,
                region_id=None,
                perm=perm_name(Segment, "view"),
            )
    result.created, result.updated = len(created), len(to_update)
    result.km = round(result.km, 1)
    return result


def _code(feature: dict[str, Any]) -> str:
    props = feature["properties"]
    return str(props.get("code") or f"hw-{int(props['from_node'])}-{int(props['to_node'])}")


def chain_codes(junctions: list[int]) -> list[str]:
    """Codes of the segments of the quickest chain through ``junctions`` in order (closures
    ignored); empty when a junction is unknown or two are not connected."""
    from saqshy.algorithms.highways import NoRoute
    from saqshy.roads.network import network

    net = network()
    ends: dict[int, tuple[float, float]] = {}
    for edge in net.edges:
        ends.setdefault(edge.a, (edge.coords[0][1], edge.coords[0][0]))
        ends.setdefault(edge.b, (edge.coords[-1][1], edge.coords[-1][0]))
    if any(j not in ends for j in junctions):
        return []
    ids: list[int] = []
    for a, b in itertools.pairwise(junctions):
        try:
            ids.extend(net.route(ends[a], ends[b]).edges)
        except NoRoute:
            return []
    codes = dict(Segment.objects.filter(pk__in=ids).values_list("pk", "code"))
    return [codes[i] for i in dict.fromkeys(ids) if i in codes]


def apply_names(
    *, acting_user: Any, roads: Iterable[dict[str, Any]], overwrite: bool = False
) -> NamesResult:
    """Give segments the number and kk/ru/en names of each road in ``roads``.

    A road is ``{"number", "name_en", "name_kk", "name_ru"}`` with ``segments`` (codes) or
    ``junctions`` (a chain of junction ids). Segments that already have a name or number are
    kept unless ``overwrite`` (a road authority's edit wins over the shipped data).
    """
    from saqshy.roads.services import update_segment

    result = NamesResult()
    for road in roads:
        result.roads += 1
        codes = list(road.get("segments") or [])
        if road.get("junctions"):
            found = chain_codes([int(j) for j in road["junctions"]])
            if not found:
                result.unknown.append(str(road.get("number") or road.get("name_en")))
            codes += found
        changes = {
            "number": str(road.get("number") or "")[:20],
            "name": str(road.get("name_en") or ""),
            "name_kk": str(road.get("name_kk") or ""),
            "name_ru": str(road.get("name_ru") or ""),
        }
        segments = {s.code: s for s in Segment.objects.filter(code__in=codes)}
        result.unknown += [c for c in codes if c not in segments]
        for code in dict.fromkeys(codes):
            segment = segments.get(code)
            if segment is None:
                continue
            if not overwrite and (segment.name or segment.number):
                result.kept += 1
                continue
            if all(getattr(segment, k) == v for k, v in changes.items()):
                result.kept += 1
                continue
            update_segment(acting_user=acting_user, segment=segment, **changes)
            result.named += 1
    return result
