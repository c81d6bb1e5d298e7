"""Read-side helpers for geography: which region contains a point."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from saqshy.accounts.models import District, Region, Role


@dataclass
class _RegionIndex:
    version: tuple[int, str]
    ids: list[int]
    shapes: list[BaseGeometry]
    tree: STRtree


_index: _RegionIndex | None = None


def _current_version() -> tuple[int, str]:
    stats = Region.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return stats["n"], str(stats["last"])


def _region_index() -> _RegionIndex:
    """Boundaries parsed once per process and rebuilt when any region changes."""
    global _index
    version = _current_version()
    if _index is None or _index.version != version:
        ids, shapes = [], []
        for region_id, boundary in Region.objects.exclude(boundary=None).values_list(
            "id", "boundary"
        ):
            ids.append(region_id)
            shapes.append(shape(boundary))
        _index = _RegionIndex(version, ids, shapes, STRtree(shapes))
    return _index


def region_locator() -> Callable[[float, float], int | None]:
    """A function (lat, lon) -> region id, for looking up many points against one snapshot."""
    index = _region_index()

    def locate(lat: float, lon: float) -> int | None:
        for position in index.tree.query(Point(lon, lat), predicate="intersects"):
            return index.ids[int(position)]
        return None

    return locate


def district_locator(region_id: int | None) -> Callable[[float, float], int | None]:
    """A function (lat, lon) -> id of the district of ``region_id`` containing the point, for
    many points at once; None outside them all (or for a region without district
    boundaries)."""
    rows = list(
        District.objects.filter(region_id=region_id or 0)
        .exclude(boundary=None)
        .order_by("pk")
        .values_list("id", "boundary")
    )
    ids = [district_id for district_id, _boundary in rows]
    tree = STRtree([shape(boundary) for _id, boundary in rows])

    def locate(lat: float, lon: float) -> int | None:
        for position in sorted(tree.query(Point(lon, lat), predicate="intersects")):
            return ids[int(position)]
        return None

    return locate


def region_id_at(lat: float, lon: float) -> int | None:
    """The id of the region whose boundary contains (lat, lon), or None outside them all."""
    return region_locator()(lat, lon)


def region_at(lat: float, lon: float) -> Region | None:
    region_id = region_id_at(lat, lon)
    return Region.objects.get(pk=region_id) if region_id is not None else None


def norm(code: str, region_id: int | None = None) -> float:
    """The value of norm ``code`` for a region: its own override, else the national default."""
    from saqshy.accounts.models import Norm
    from saqshy.accounts.norms import DEFAULT_NORMS

    values: dict[int | None, float] = dict(
        Norm.objects.filter(code=code)
        .filter(Q(region_id=region_id) | Q(region=None))
        .values_list("region_id", "value")
    )
    if region_id in values:
        return float(values[region_id])
    if None in values:
        return float(values[None])
    return float(DEFAULT_NORMS[code][0])


def norms(
    codes: Iterable[str], region_ids: Iterable[int | None]
) -> dict[tuple[str, int | None], float]:
    """``norm(code, region_id)`` for every code and region given, in one query."""
    from saqshy.accounts.models import Norm
    from saqshy.accounts.norms import DEFAULT_NORMS

    wanted, regions = sorted(set(codes)), set(region_ids)
    stored: dict[tuple[str, int | None], float] = {
        (code, region_id): float(value)
        for code, region_id, value in Norm.objects.filter(code__in=wanted)
        .filter(Q(region_id__in=[r for r in regions if r is not None]) | Q(region=None))
        .values_list("code", "region_id", "value")
    }
    return {
        (code, region_id): stored.get(
            (code, region_id), stored.get((code, None), float(DEFAULT_NORMS[code][0]))
        )
        for code in wanted
        for region_id in regions
    }


def region_id_containing(lat: float, lon: float) -> int:
    """The region containing (lat, lon); outside every region is a field error on ``lat``."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    region_id = region_id_at(float(lat), float(lon))
    if region_id is None:
        raise ValidationError({"lat": [_("This location lies outside every known region.")]})
    return region_id


def regions_in_scope(user: Any, model: type[Any], action: str = "view") -> QuerySet[Region]:
    """Regions where ``user`` may ``action`` records of ``model``, by name (for filters)."""
    from saqshy.core.scoping import user_scope

    scope = user_scope(user, model, action)
    regions = Region.objects.order_by("name_en")
    return regions if scope.national else regions.filter(pk__in=scope.region_ids)


def home_pages(user: Any) -> QuerySet[Any]:
    """The start pages named by the roles of ``user``'s own grants (reference data), in the
    order the grants were made."""
    return (
        Role.objects.filter(grants__user=user)
        .exclude(home_page="")
        .order_by("grants__pk")
        .values_list("home_page", flat=True)
    )
