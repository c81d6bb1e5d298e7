"""Service areas of utility sites: the Voronoi cell of each site among the sites of its kind,
clipped to a radius around the site.

Without the network's real topology, the nearest site of the same kind is the best guess of
which one feeds a building (a substation feeds its neighbourhood, a boiler house its quarter);
the radius stops a lone site from "serving" the whole steppe. Coordinates are lon/lat; the
cells are computed in a local equirectangular projection in metres around the sites' centre,
which is accurate to well under a percent over a city.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Point, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import voronoi_diagram

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class SitePoint:
    """A site's key (any hashable id), kind and position."""

    key: Any
    kind: str
    lat: float
    lon: float


class _Local:
    """Lon/lat ↔ metres around a centre (equirectangular)."""

    def __init__(self, lat0: float, lon0: float) -> None:
        self.lat0, self.lon0 = lat0, lon0
        self.kx = math.radians(1.0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
        self.ky = math.radians(1.0) * EARTH_RADIUS_M

    def to_xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky

    def geometry_to_lonlat(self, geom: BaseGeometry) -> dict[str, Any]:
        back = shapely.transform(geom, self._back)
        result: dict[str, Any] = mapping(back)
        return _as_lists(result)

    def _back(self, xy: Any) -> Any:
        return xy / [self.kx, self.ky] + [self.lon0, self.lat0]


def _as_lists(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_as_lists(item) for item in value]
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    return value


def service_areas(sites: Sequence[SitePoint], *, radius_m: float) -> dict[Any, dict[str, Any]]:
    """Each site's service area as a GeoJSON polygon (dict), keyed by ``site.key``.

    The area is the part of the disc of ``radius_m`` around the site that is nearer to it
    than to any other site of the same kind; sites at one position share their cell's disc.
    """
    if radius_m <= 0:
        raise ValueError("radius must be positive")
    if not sites:
        return {}
    local = _Local(
        sum(site.lat for site in sites) / len(sites), sum(site.lon for site in sites) / len(sites)
    )
    areas: dict[Any, dict[str, Any]] = {}
    by_kind: dict[str, list[SitePoint]] = {}
    for site in sites:
        by_kind.setdefault(site.kind, []).append(site)
    for group in by_kind.values():
        points = {site.key: Point(local.to_xy(site.lon, site.lat)) for site in group}
        distinct = MultiPoint(list({(p.x, p.y) for p in points.values()}))
        cells = list(
            voronoi_diagram(distinct, envelope=distinct.buffer(radius_m * 4).envelope).geoms
        )
        for site in group:
            point = points[site.key]
            disc = point.buffer(radius_m, quad_segs=16)
            cell = next((c for c in cells if c.covers(point)), disc)
            areas[site.key] = local.geometry_to_lonlat(cell.intersection(disc))
    return areas
