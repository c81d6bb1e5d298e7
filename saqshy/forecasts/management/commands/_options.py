"""Options shared by ``evaluate_forecast`` and ``forecast``: which file, which columns."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from saqshy.algorithms.forecast.events import Events, load_events
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


def read_events(options: dict[str, Any]) -> Events:
    if options["cell"] <= 0:
        raise CommandError(_("--cell must be a positive number of metres."))
    try:
        events, _dropped = load_events(
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
    return events
