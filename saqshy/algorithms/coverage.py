"""CCTV coverage of a venue: the share of its footprint that cameras watch.

Pure shapely and pyproj, no Django: the domain hands in GeoJSON-like polygons in lon/lat
(the venue's footprint, each active camera's watched ground area) and gets back the watched
area, the footprint area (both geodesic, m², on the WGS84 ellipsoid) and their ratio.

The watched part is ``union(watched areas) ∩ footprint``, so overlapping cameras are counted
once and a camera looking at the street outside adds nothing. Invalid rings (a self-touching
polygon drawn by hand) are repaired with ``make_valid``; anything that is not a polygon with
area is ignored rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from shapely import make_valid, unary_union
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from saqshy.algorithms.osm.capacity import geodesic_area_m2

Geometry: TypeAlias = Mapping[str, Any] | BaseGeometry


@dataclass(frozen=True)
class Coverage:
    """What the cameras watch of one footprint (``share`` is None without a footprint)."""

    footprint_m2: float
    watched_m2: float
    cameras: int

    @property
    def share(self) -> float | None:
        if self.footprint_m2 <= 0:
            return None
        return min(1.0, max(0.0, self.watched_m2 / self.footprint_m2))


def _areal(geometry: Geometry | None) -> BaseGeometry | None:
    """The polygonal part of ``geometry`` (repaired), or None when it has no area."""
    if geometry is None:
        return None
    try:
        geom = geometry if isinstance(geometry, BaseGeometry) else shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return None
    if geom.is_empty:
        return None
    if not geom.is_valid:
        geom = make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        parts = [
            g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
        ]
        geom = unary_union(parts) if parts else None
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon") or geom.area <= 0:
        return None
    return geom


def coverage(footprint: Geometry | None, watched: Iterable[Geometry | None]) -> Coverage:
    """How much of ``footprint`` the ``watched`` areas cover (see the module docstring)."""
    areas = [geom for geom in (_areal(w) for w in watched) if geom is not None]
    venue = _areal(footprint)
    if venue is None:
        return Coverage(footprint_m2=0.0, watched_m2=0.0, cameras=len(areas))
    footprint_m2 = geodesic_area_m2(venue)
    if not areas:
        return Coverage(footprint_m2=footprint_m2, watched_m2=0.0, cameras=0)
    seen = _areal(unary_union(areas).intersection(venue))
    watched_m2 = min(geodesic_area_m2(seen), footprint_m2) if seen is not None else 0.0
    return Coverage(footprint_m2=footprint_m2, watched_m2=watched_m2, cameras=len(areas))
