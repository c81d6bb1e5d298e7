"""The real hourly weather the rules read: the bundled Astana series (``data/weather``).

``data/weather/astana_winters_hourly.csv.gz`` holds the winter months (November to March) of
2023/24 to 2025/26 at the Open-Meteo grid point 51.25° N, 71.50° E, in local time
(Asia/Almaty), derived by ``saqshy/demo/bundle.py``. It stands for the regions whose centre
lies within ``STATION_RADIUS_KM`` of that point (Astana and its neighbourhood); other regions
have no series and get warnings by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import math
from zoneinfo import ZoneInfo

from django.conf import settings

from saqshy.accounts.models import Region
from saqshy.algorithms.road_weather import HourlyWeather

SERIES_FILE = "weather/astana_winters_hourly.csv.gz"
SERIES_ZONE = ZoneInfo("Asia/Almaty")
STATION = (51.25, 71.50)
STATION_RADIUS_KM = 250.0
STATION_REGIONS = frozenset({"astana"})


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def covers(region: Region) -> bool:
    """Whether the bundled station's weather stands for ``region``."""
    if region.slug in STATION_REGIONS:
        return True
    if region.centre_lat is None or region.centre_lon is None:
        return False
    return _km(STATION, (region.centre_lat, region.centre_lon)) <= STATION_RADIUS_KM


@functools.cache
def all_hours() -> tuple[HourlyWeather, ...]:
    """Every bundled hour, aware (local time of the source), in time order."""
    path = settings.DATA_DIR / SERIES_FILE
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return tuple(
            HourlyWeather(
                at=dt.datetime.fromisoformat(row["at"]).replace(tzinfo=SERIES_ZONE),
                temperature_c=float(row["temperature"]),
                gust_kmh=float(row["gusts_kmh"]),
                snowfall_cm=float(row["snowfall_cm"]),
                wind_kmh=float(row["wind_kmh"]),
                precipitation_mm=float(row["precipitation_mm"]),
                weather_code=int(row["weather_code"]),
            )
            for row in csv.DictReader(handle)
        )


def hours_between(since: dt.datetime, until: dt.datetime) -> list[HourlyWeather]:
    """The bundled hours from ``since`` (inclusive) to ``until`` (exclusive)."""
    return [hour for hour in all_hours() if since <= hour.at < until]
