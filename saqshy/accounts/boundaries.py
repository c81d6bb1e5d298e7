"""Reading region and district boundaries from GeoJSON, from any country's files.

A file's features carry their names and codes under properties the file chooses
(``name_en`` in the shipped bundle, ``shapeName`` in geoBoundaries, ``ADM2_EN`` in OCHA's).
``region_features`` and ``district_features`` map them onto the shipped layout (``iso_code``,
``slug``, ``kind``, ``name_en/kk/ru`` for regions; ``region``, ``slug``, ``name_*`` for
districts) and check every geometry, collecting every bad feature so one run names them all.
``parse_boundary`` does the same for one boundary pasted or uploaded in the admin.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from saqshy.accounts.choices import RegionKind

LANGUAGES = ("en", "kk", "ru")
DEFAULT_NAMES = {"en": "name_en", "kk": "name_kk", "ru": "name_ru"}
"""Name properties of the shipped files (``data/regions.geojson``, ``data/districts.geojson``)."""

MAX_BOUNDARY_BYTES = 20_000_000
"""A pasted or uploaded boundary larger than this is refused rather than parsed."""


def geometry_problem(geometry: Any) -> str | None:
    """Why ``geometry`` is not a usable boundary (a valid lon/lat (Multi)Polygon), or None."""
    if not isinstance(geometry, Mapping) or geometry.get("type") not in {
        "Polygon",
        "MultiPolygon",
    }:
        kind = geometry.get("type") if isinstance(geometry, Mapping) else type(geometry).__name__
        return str(_("expected a Polygon or MultiPolygon geometry, got %(type)s") % {"type": kind})
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        return str(_("unreadable coordinates: %(error)s") % {"error": error})
    if geom.is_empty:
        return str(_("the boundary is empty"))
    minx, miny, maxx, maxy = geom.bounds
    if not all(math.isfinite(v) for v in geom.bounds) or not (
        -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    ):
        return str(_("coordinates must be longitude and latitude in degrees (WGS 84)"))
    if not geom.is_valid:
        return str(
            _("not a valid shape (%(reason)s); repair it, e.g. with make_valid in QGIS")
            % {"reason": shapely.is_valid_reason(geom)}
        )
    return None


def geometry_fields(geometry: Mapping[str, Any]) -> dict[str, Any]:
    """The stored boundary with its derived centre (a point inside) and bounding box."""
    geom = shape(geometry)
    inside = geom.representative_point()
    return {
        "boundary": dict(geometry),
        "centre_lat": round(inside.y, 6),
        "centre_lon": round(inside.x, 6),
        "bbox": [round(v, 6) for v in geom.bounds],
    }


def parse_boundary(text: str | bytes) -> dict[str, Any]:
    """One boundary from GeoJSON text: a geometry, a Feature, or a FeatureCollection whose
    polygons are merged. Raises ``ValidationError`` saying what is wrong."""
    if len(text) > MAX_BOUNDARY_BYTES:
        raise ValidationError(_("The file is too large for one boundary."), code="too_large")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("Not GeoJSON: %(error)s"), params={"error": error}, code="json"
        ) from None
    if isinstance(data, Mapping) and data.get("type") == "Feature":
        data = data.get("geometry")
    elif isinstance(data, Mapping) and data.get("type") == "FeatureCollection":
        geometries = [f.get("geometry") for f in data.get("features") or []]
        problems = [geometry_problem(g) for g in geometries]
        if not geometries or any(problems):
            raise ValidationError(
                _("The collection must hold only valid polygons: %(problem)s"),
                params={"problem": next((p for p in problems if p), _("it is empty"))},
                code="geometry",
            )
        merged = shapely.union_all([shape(g) for g in geometries])
        data = json.loads(shapely.to_geojson(merged))
    problem = geometry_problem(data)
    if problem:
        raise ValidationError(
            _("Not a usable boundary: %(problem)s."), params={"problem": problem}, code="geometry"
        )
    return dict(data)


def _label(number: int, props: Mapping[str, Any], names: Mapping[str, str]) -> str:
    name = props.get(names.get("en", "")) or props.get("name") or ""
    return f"feature {number}" + (f" ({name})" if name else "")


def _names(props: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, str] | None:
    english = str(props.get(names["en"]) or "").strip()
    if not english:
        return None
    found = {"name_en": english}
    for language in LANGUAGES[1:]:
        value = str(props.get(names.get(language, ""), "") or "").strip()
        found[f"name_{language}"] = value or english
    return found


def _features(collection: Any) -> list[Mapping[str, Any]]:
    if not isinstance(collection, Mapping) or collection.get("type") != "FeatureCollection":
        raise ValidationError(_("The file is not a GeoJSON FeatureCollection."), code="type")
    return list(collection.get("features") or [])


def _problem(label: str, message: Any, **params: str) -> str:
    return f"{label}: {message % params}"


def _feature(feature: Mapping[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": feature["geometry"], "properties": properties}


def _raise(problems: Iterable[str]) -> None:
    listed = list(problems)
    if listed:
        raise ValidationError(listed, code="features")


def region_features(
    collection: Any,
    *,
    names: Mapping[str, str] = DEFAULT_NAMES,
    code_property: str = "iso_code",
    slug_property: str = "slug",
    kind_property: str = "kind",
) -> list[dict[str, Any]]:
    """Region features in the shipped layout; every bad feature is named in one error.

    The code (ISO 3166-2 or any unique code) is required. A missing slug is made from the
    English name (or the code); a missing kind is ``region``; missing Kazakh or Russian
    names fall back to the English one.
    """
    problems: list[str] = []
    out: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for number, feature in enumerate(_features(collection), start=1):
        props = feature.get("properties") or {}
        label = _label(number, props, names)
        found = _names(props, names)
        code = str(props.get(code_property) or "").strip()
        kind = str(props.get(kind_property) or RegionKind.REGION)
        slug = str(props.get(slug_property) or "") or slugify((found and found["name_en"]) or "")
        slug = slug or slugify(code)
        problem = geometry_problem(feature.get("geometry"))
        if problem:
            problems.append(f"{label}: {problem}")
        if found is None:
            problems.append(_problem(label, _("no name in property %(p)s"), p=names["en"]))
        if not code:
            problems.append(_problem(label, _("no code in property %(p)s"), p=code_property))
        if kind not in RegionKind.values():
            problems.append(_problem(label, _("unknown kind %(p)s"), p=kind))
        for key in (f"code {code}", f"slug {slug}"):
            if key in seen:
                same = _("same %(p)s as %(other)s")
                problems.append(_problem(label, same, p=key, other=seen[key]))
            seen[key] = label
        if not problems:
            properties = {"iso_code": code, "slug": slug, "kind": kind, **(found or {})}
            out.append(_feature(feature, properties))
    _raise(problems)
    return out


def district_features(
    collection: Any,
    *,
    names: Mapping[str, str] = DEFAULT_NAMES,
    region_property: str = "region",
    slug_property: str = "slug",
    region: str | None = None,
) -> list[dict[str, Any]]:
    """District features in the shipped layout; every bad feature is named in one error.

    Each feature names its region (ISO code or slug) in ``region_property``, or all belong
    to ``region``. A missing slug is made from the English name.
    """
    problems: list[str] = []
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], str] = {}
    for number, feature in enumerate(_features(collection), start=1):
        props = feature.get("properties") or {}
        label = _label(number, props, names)
        found = _names(props, names)
        owner = region or str(props.get(region_property) or "").strip()
        slug = str(props.get(slug_property) or "") or slugify((found and found["name_en"]) or "")
        problem = geometry_problem(feature.get("geometry"))
        if problem:
            problems.append(f"{label}: {problem}")
        if found is None or not slug:
            problems.append(_problem(label, _("no name in property %(p)s"), p=names["en"]))
        if not owner:
            problems.append(_problem(label, _("no region in property %(p)s"), p=region_property))
        if (owner, slug) in seen:
            other = seen[(owner, slug)]
            problems.append(_problem(label, _("same slug %(p)s as %(other)s"), p=slug, other=other))
        seen[(owner, slug)] = label
        if not problems:
            out.append(_feature(feature, {"region": owner, "slug": slug, **(found or {})}))
    _raise(problems)
    return out
