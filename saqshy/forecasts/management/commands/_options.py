"""Options shared by ``evaluate_forecast`` and ``forecast``: which file, which columns."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from saqshy.algorithms.forecast.events import (
    MISSING_COORDINATE,
    MISSING_TIME,
    UNREADABLE_TIME,
    Events,
    load_events,
)
from saqshy.algorithms.forecast.grid import DEFAULT_CELL_M, ForecastInputError


def add_event_options(parser: ArgumentParser) -> None:
    parser.add_argument("--csv", required=True, type=Path, help="CSV (.csv, .csv.gz) or Parquet")
    parser.add_argument("--lat-col", required=True, help="latitude (or northing) column")
    parser.add_argument("--lon-col", required=True, help="longitude (or easting) column")
    parser.add_argument("--time-col", required=True, help="date or date-time column")
    parser.add_argument(
        "--crs", default="EPSG:4326", help="CRS of the coordinate columns (default EPSG:4326)"
    )
    parser.add_argument(
        "--grid-crs", default=None, help="projected CRS of the grid (default: UTM of the centroid)"
    )
    parser.add_argument("--cell", type=float, default=DEFAULT_CELL_M, help="cell size in metres")
    parser.add_argument(
        "--tz",
        default=None,
        help="time zone for zoned or epoch times, e.g. Asia/Almaty or +06:00 "
        "(default: the TIME_ZONE setting)",
    )


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("%(option)s: %(value)r is not a date (YYYY-MM-DD).")
            % {"option": option, "value": value}
        ) from error


def read_events(options: dict[str, Any], stdout: Any = None) -> Events:
    """The events of ``--csv``; says how many rows were dropped and why, and refuses
    coordinates that look swapped."""
    if options["cell"] <= 0:
        raise CommandError(_("--cell must be a positive number of metres."))
    try:
        events, dropped = load_events(
            options["csv"],
            lat_col=options["lat_col"],
            lon_col=options["lon_col"],
            time_col=options["time_col"],
            crs=options["crs"],
            tz=options["tz"] or settings.TIME_ZONE,
        )
    except ForecastInputError as error:
        raise CommandError(str(error)) from error
    except Exception as error:  # pyproj's CRSError and friends: a bad --crs
        if type(error).__name__ == "CRSError":
            raise CommandError(_("Unknown CRS: %(crs)s") % {"crs": options["crs"]}) from error
        raise
    if stdout is not None:
        total = sum(dropped.values())
        if total:
            labels = {
                MISSING_COORDINATE: _("missing or non-numeric coordinate"),
                MISSING_TIME: _("missing time"),
                UNREADABLE_TIME: _("unreadable time"),
            }
            reasons = ", ".join(
                f"{n} {labels.get(reason, reason)}" for reason, n in sorted(dropped.items())
            )
            stdout.write(
                _("Dropped %(n)d of %(rows)d rows: %(reasons)s.")
                % {"n": total, "rows": total + len(events), "reasons": reasons}
            )
        else:
            stdout.write(_("Read %(rows)d rows, none dropped.") % {"rows": len(events)})
    if looks_swapped(events.lon, events.lat):
        raise CommandError(
            _(
                "Most points lie outside every known region, but would lie inside one with "
                "latitude and longitude exchanged: are --lat-col %(lat)s and --lon-col "
                "%(lon)s swapped?"
            )
            % {"lat": options["lat_col"], "lon": options["lon_col"]}
        )
    return events


SAMPLE = 2000


def looks_swapped(lon: Any, lat: Any) -> bool:
    """Whether most points fall outside every region with a boundary while most of them fall
    inside one when latitude and longitude are exchanged (checked on a sample; no regions in
    the database, no check)."""
    from django.db import DatabaseError

    from saqshy.accounts.models import Region
    from saqshy.accounts.queries import region_locator

    try:
        known = Region.objects.exclude(boundary=None).exists()
    except DatabaseError:  # the command reads files only; without a database, no regions
        return False
    if len(lon) == 0 or not known:
        return False
    step = max(1, len(lon) // SAMPLE)
    xs, ys = lon[::step], lat[::step]
    locate = region_locator()
    inside = sum(locate(float(y), float(x)) is not None for x, y in zip(xs, ys, strict=True))
    swapped = sum(
        abs(x) <= 90 and locate(float(x), float(y)) is not None for x, y in zip(xs, ys, strict=True)
    )
    return inside < len(xs) / 2 < swapped
