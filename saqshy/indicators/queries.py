"""What the indicator pages and the API show: figures per region and day for a user, the
national roll-up over the regions the user may see, and the same days a year before.

A user sees an indicator in the regions where they may view the records it counts
(``core.indicators.visible_region_ids``); the roll-up adds only those regions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max

from saqshy.accounts.models import Region
from saqshy.algorithms.simplify import simplify
from saqshy.core.indicators import (
    Figure,
    Indicator,
    add,
    local_day,
    registry_indicators,
    visible_region_ids,
)

MAX_DAYS = 92


def regions() -> list[Region]:
    """Every region, by English name (reference data: no scope on the regions themselves)."""
    return list(Region.objects.order_by("name_en"))


def last_year(day: dt.date) -> dt.date:
    """The same day a year before (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def window(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of local day ``first`` to the end of local day ``last``."""
    return local_day(first)[0], local_day(last)[1]


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def recorded(figure: Figure | None) -> bool:
    """Whether a figure rests on any record (a count above zero, a share of something)."""
    if figure is None:
        return False
    return bool(figure.base) if figure.base is not None else bool(figure.value)


def scope(user: Any, everywhere: Sequence[Region]) -> dict[str, list[int]]:
    """For each indicator, the ids of the regions in which ``user`` sees it."""
    ids = [region.pk for region in everywhere]
    indicators = registry_indicators()
    return {ind.code: visible_region_ids(user, ind, ids) for ind in indicators}


def is_national(visible: Sequence[int], everywhere: Sequence[Region]) -> bool:
    return bool(everywhere) and len(visible) == len(everywhere)


@dataclass(frozen=True)
class RegionRow:
    region: Region
    figure: Figure | None  # None: not in the user's scope


def by_region(
    ind: Indicator,
    visible: Sequence[int],
    everywhere: Sequence[Region],
    first: dt.date,
    last: dt.date,
) -> tuple[list[RegionRow], Figure]:
    """Every region's figure over the days (None where the user may not see it), and the
    roll-up of the visible ones."""
    start, end = window(first, last)
    found = ind.evaluate(visible, start, end) if visible else {}
    rows = [RegionRow(region, found.get(region.pk)) for region in everywhere]
    return rows, add(found.values(), ind.unit)


@dataclass(frozen=True)
class Card:
    indicator: Indicator
    figure: Figure
    last_year: Figure | None  # None: no records the same days last year


def cards(
    user_scope: dict[str, list[int]], region: Region | None, first: dt.date, last: dt.date
) -> list[Card]:
    """Each indicator the user sees in ``region`` (or rolled up over every region they see),
    with the same days last year where records exist."""
    found = []
    for ind in registry_indicators():
        ids = user_scope.get(ind.code, [])
        if region is not None:
            ids = [pk for pk in ids if pk == region.pk]
        if not ids:
            continue
        now = add(ind.evaluate(ids, *window(first, last)).values(), ind.unit)
        before = add(
            ind.evaluate(ids, *window(last_year(first), last_year(last))).values(), ind.unit
        )
        found.append(Card(ind, now, before if recorded(before) else None))
    return found


@dataclass(frozen=True)
class Point:
    day: dt.date
    figure: Figure
    last_year_day: dt.date
    last_year: Figure | None


def series(ind: Indicator, region_ids: Sequence[int], first: dt.date, last: dt.date) -> list[Point]:
    """Day by day, the figure rolled up over ``region_ids`` and the same day last year."""
    shown = days(first, last)
    earlier = [last_year(day) for day in shown]
    found = ind.evaluate_days(region_ids, shown)
    found_before = ind.evaluate_days(region_ids, earlier)
    points = []
    for day, before_day in zip(shown, earlier, strict=True):
        now = add(found[day].values(), ind.unit)
        before = add(found_before[before_day].values(), ind.unit)
        points.append(Point(day, now, before_day, before if recorded(before) else None))
    return points


def per_region_days(
    ind: Indicator, region_ids: Sequence[int], first: dt.date, last: dt.date
) -> dict[dt.date, dict[int, Figure]]:
    """Each day's figure of each region (one evaluation for every day where the indicator
    counts by day, else one per day; all regions at once)."""
    return ind.evaluate_days(region_ids, days(first, last))


def boundaries() -> dict[str, Any]:
    """Every region's boundary, simplified, as a FeatureCollection (cached until a region
    changes)."""
    stamp = Region.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    changed = stamp["changed"].timestamp() if stamp["changed"] else 0
    key = f"indicators:boundaries:{stamp['n']}:{changed:.6f}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        features = [
            {
                "type": "Feature",
                "properties": {"id": region.pk, "slug": region.slug},
                "geometry": simplify(_geometry(region.boundary), tolerance=0.02, digits=3),
            }
            for region in Region.objects.with_outlines()
            .filter(boundary__isnull=False)
            .order_by("name_en")
        ]
        found = {"type": "FeatureCollection", "features": features}
        cache.set(key, found, 24 * 3600)
    return found


def _geometry(boundary: Any) -> Any:
    """The geometry of a boundary stored as a geometry or as a Feature."""
    if boundary.get("type") == "Feature":
        return boundary.get("geometry")
    return boundary
