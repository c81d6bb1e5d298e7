"""The demo's real weather: Astana's hourly temperature and wind around one New Year.

The bundle keeps the hours from 27 December 2024 to 6 January 2025 (local time, Open-Meteo
reanalysis) from ``shared/data/weather/weather_astana_hourly.parquet``. That winter is used
because its New Year's night (31 December 2024 → 1 January 2025) is the coldest night of the
window: the night the demo plays. The simulated clock is mapped onto it day by day: the day
the device simulator starts on plays 31 December 2024 hour for hour, the next day 1 January
2025 and so on (clamped to the window's ends). ``weather_csv`` is deterministic.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WEATHER_SOURCE = Path("weather") / "weather_astana_hourly.parquet"
WEATHER_FILE = "weather/astana_hourly.csv.gz"
WINDOW = (dt.datetime(2024, 12, 27, 0), dt.datetime(2025, 1, 6, 23))
NEW_YEARS_EVE = dt.date(2024, 12, 31)
NIGHT_START_HOUR = 18
NIGHT_HOURS = 15
ATTRIBUTION_ROW = (
    "| `weather/astana_hourly.csv.gz` | `weather/weather_astana_hourly.parquet` (hours "
    "27.12.2024 00:00 – 06.01.2025 23:00 local time; temperature at 2 m in °C and wind speed "
    "at 10 m in km/h) | Open-Meteo historical weather API, via repository `Beksqwz/ML_CJ` | "
    "CC BY 4.0, weather data by Open-Meteo.com |\n"
)


@dataclass(frozen=True)
class Hour:
    """One hour of weather, local wall-clock time."""

    at: dt.datetime
    temperature: float
    wind_kmh: float


def weather_csv(shared_data: Path) -> tuple[bytes, dict[str, Any]]:
    """The window's hours as gzip'd CSV (``at,temperature,wind_kmh``) and a summary."""
    import pyarrow.parquet as pq

    table = pq.read_table(
        shared_data / WEATHER_SOURCE, columns=["datetime_hour", "temperature_2m", "wind_speed_10m"]
    )
    rows = sorted(
        (row["datetime_hour"], row["temperature_2m"], row["wind_speed_10m"])
        for row in table.to_pylist()
        if WINDOW[0] <= row["datetime_hour"] <= WINDOW[1]
    )
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["at", "temperature", "wind_kmh"])
    for at, temperature, wind in rows:
        writer.writerow([at.strftime("%Y-%m-%dT%H:%M"), f"{temperature:.1f}", f"{wind:.1f}"])
    data = gzip.compress(text.getvalue().encode("utf-8"), mtime=0)
    hours = [Hour(at, t, w) for at, t, w in rows]
    night = coldest_night(hours)
    summary = {"hours": len(rows), "coldest_night": night.isoformat() if night else None}
    return data, summary


def read_weather(path: Path) -> list[Hour]:
    """The bundled hours, in time order."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [
            Hour(
                dt.datetime.fromisoformat(row["at"]),
                float(row["temperature"]),
                float(row["wind_kmh"]),
            )
            for row in csv.DictReader(handle)
        ]


def night_hours(hours: list[Hour], evening: dt.date) -> list[Hour]:
    start = dt.datetime.combine(evening, dt.time(NIGHT_START_HOUR))
    end = start + dt.timedelta(hours=NIGHT_HOURS)
    return [hour for hour in hours if start <= hour.at < end]


def coldest_night(hours: list[Hour]) -> dt.date | None:
    """The evening whose night (18:00 for 15 hours) reaches the lowest temperature."""
    evenings = sorted({(hour.at - dt.timedelta(hours=NIGHT_START_HOUR)).date() for hour in hours})
    best: tuple[float, dt.date] | None = None
    for evening in evenings:
        night = night_hours(hours, evening)
        if len(night) == NIGHT_HOURS:
            low = min(hour.temperature for hour in night)
            if best is None or low < best[0]:
                best = (low, evening)
    return best[1] if best else None


class Weather:
    """Temperature and wind at any real time of the window (linear between hours)."""

    def __init__(self, hours: list[Hour]) -> None:
        if not hours:
            raise ValueError("no weather hours")
        self.hours = hours
        self._times = [hour.at for hour in hours]

    def at(self, when: dt.datetime) -> tuple[float, float]:
        """(temperature °C, wind km/h) at naive local ``when``, clamped to the window."""
        i = bisect.bisect_right(self._times, when)
        if i == 0:
            return self.hours[0].temperature, self.hours[0].wind_kmh
        if i == len(self.hours):
            return self.hours[-1].temperature, self.hours[-1].wind_kmh
        before, after = self.hours[i - 1], self.hours[i]
        share = (when - before.at) / (after.at - before.at)
        return (
            before.temperature + share * (after.temperature - before.temperature),
            before.wind_kmh + share * (after.wind_kmh - before.wind_kmh),
        )


def real_time(simulated: dt.datetime, start_day: dt.date) -> dt.datetime:
    """The real (naive, local) weather time that a simulated local wall-clock moment plays:
    ``start_day`` plays New Year's Eve of the bundled winter, hour for hour."""
    wall = simulated.replace(tzinfo=None)
    offset = dt.datetime.combine(NEW_YEARS_EVE, dt.time()) - dt.datetime.combine(
        start_day, dt.time()
    )
    return wall + offset


# Winter hours with gusts and snowfall, for the road-weather rules -------------------------

WINTERS_FILE = "weather/astana_winters_hourly.csv.gz"
WINTERS_COLUMNS = (
    "at",
    "temperature",
    "wind_kmh",
    "gusts_kmh",
    "snowfall_cm",
    "precipitation_mm",
    "weather_code",
)
WINTERS_WINDOW = (dt.datetime(2023, 11, 1, 0), dt.datetime(2026, 3, 31, 23))
WINTER_MONTHS = frozenset({11, 12, 1, 2, 3})
WINTERS_ATTRIBUTION = """
## Winter weather for road warnings

| file | derived from | source | licence |
|---|---|---|---|
| `weather/astana_winters_hourly.csv.gz` | `weather/weather_astana_hourly.parquet` (hours of \
November to March, 01.11.2023 00:00 – 31.03.2026 23:00 local time; temperature at 2 m in °C, \
wind speed and gusts at 10 m in km/h, snowfall in cm and precipitation in mm per hour, WMO \
weather code) | Open-Meteo \
historical weather API, via repository `Beksqwz/ML_CJ` | CC BY 4.0, weather data by \
Open-Meteo.com |

The road-weather rules (`saqshy/algorithms/road_weather.py`) read these hours; the demo's
blizzard warning is the strongest blizzard they find, shifted to the coming New Year's night.
"""


def winters_csv(shared_data: Path) -> tuple[bytes, dict[str, Any]]:
    """The winter months' hours as gzip'd CSV (``WINTERS_COLUMNS``) and a summary."""
    import pyarrow.parquet as pq

    names = [
        "datetime_hour",
        "temperature_2m",
        "wind_speed_10m",
        "wind_gusts_10m",
        "snowfall",
        "precipitation",
        "weather_code",
    ]
    table = pq.read_table(shared_data / WEATHER_SOURCE, columns=names)
    rows = sorted(
        tuple(row[name] for name in names)
        for row in table.to_pylist()
        if WINTERS_WINDOW[0] <= row["datetime_hour"] <= WINTERS_WINDOW[1]
        and row["datetime_hour"].month in WINTER_MONTHS
    )
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(WINTERS_COLUMNS)
    for at, temperature, wind, gusts, snowfall, precipitation, code in rows:
        writer.writerow(
            [
                at.strftime("%Y-%m-%dT%H:%M"),
                f"{temperature:.1f}",
                f"{wind:.1f}",
                f"{gusts:.1f}",
                f"{snowfall:.2f}",
                f"{precipitation:.1f}",
                int(code),
            ]
        )
    data = gzip.compress(text.getvalue().encode("utf-8"), mtime=0)
    summary = {
        "hours": len(rows),
        "coldest": min((row[1] for row in rows), default=None),
        "strongest_gust": max((row[3] for row in rows), default=None),
    }
    return data, summary


# The winter night's blizzard warning -------------------------------------------------------

HOLIDAY_FORTNIGHT = ((12, 20), (1, 10))
"""The days around New Year (20 December – 10 January) the demo's blizzard is taken from."""


def _in_fortnight(at: dt.datetime) -> bool:
    (m1, d1), (m2, d2) = HOLIDAY_FORTNIGHT
    return (at.month, at.day) >= (m1, d1) or (at.month, at.day) <= (m2, d2)


def load_weather_warnings(
    *,
    region: Any,
    road_authority: Any,
    segments: Any = (),
    today: dt.date | None = None,
    say: Any = print,
) -> Any:
    """The winter night's blizzard warning, from the real weather, confirmed: ``segments``
    close.

    The strongest blizzard the road-weather rules find in the bundled winters' holiday
    fortnights (the real one of 29.12.2023 06:00–22:00 at Astana, gusts to 83.5 km/h) is
    replayed, hour for hour with its real values, centred on the coming New Year's midnight
    (the season of the other demo loaders), as a rule warning for ``region`` and
    ``segments``; ``road_authority`` confirms it, which closes them. Idempotent: a second
    run finds the warning and adds nothing. Returns the warning (None without a blizzard).
    """
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from saqshy.algorithms import road_weather
    from saqshy.demo.season import new_year
    from saqshy.weather import series, services
    from saqshy.weather.choices import WarningKind, WarningStatus

    today = today or timezone.localdate()
    hours = list(series.all_hours())
    windows = [
        w
        for w in road_weather.warning_windows(hours, services.thresholds(region.pk))
        if w.kind == WarningKind.BLIZZARD and _in_fortnight(w.start)
    ]
    real = road_weather.strongest(windows)
    if real is None:
        say("weather: no blizzard in the bundled winters")
        return None
    midnight = timezone.make_aware(dt.datetime.combine(new_year(today), dt.time()))
    duration = real.end - real.start
    start = midnight - dt.timedelta(hours=duration // dt.timedelta(hours=1) // 2)
    shift = start - real.start
    margin = dt.timedelta(hours=3)
    replayed = [
        road_weather.HourlyWeather(
            at=timezone.localtime(hour.at + shift),
            temperature_c=hour.temperature_c,
            gust_kmh=hour.gust_kmh,
            snowfall_cm=hour.snowfall_cm,
            wind_kmh=hour.wind_kmh,
            precipitation_mm=hour.precipitation_mm,
            weather_code=hour.weather_code,
        )
        for hour in hours
        if real.start - margin <= hour.at < real.end + margin
    ]
    services.generate_warnings(
        acting_user=None,
        region=region,
        since=start - margin,
        until=start + duration + margin,
        hours=replayed,
        segments=list(segments),
        kinds=[WarningKind.BLIZZARD],
    )
    warning = (
        region.weather_warnings.filter(
            kind=WarningKind.BLIZZARD,
            source="rule",
            starts_at__lt=start + duration,
            ends_at__gt=start,
        )
        .order_by("starts_at")
        .first()
    )
    if warning is None:
        return None
    if warning.status == WarningStatus.PROPOSED:
        try:
            services.confirm_warning(
                acting_user=road_authority,
                warning=warning,
                # Words-free, so it reads in every language: the real window and its source.
                note="{} – {}, Astana, Open-Meteo".format(
                    timezone.localtime(real.start).strftime("%d.%m.%Y %H:%M"),
                    timezone.localtime(real.end).strftime("%d.%m.%Y %H:%M"),
                ),
            )
        except PermissionDenied as refusal:
            say(f"weather: {road_authority} may not close these roads: {refusal}")
            return warning
        warning.refresh_from_db()
    say(
        f"weather: blizzard warning {timezone.localtime(warning.starts_at):%d.%m.%Y %H:%M} – "
        f"{timezone.localtime(warning.ends_at):%d.%m.%Y %H:%M}, {warning.status}, "
        f"{warning.closures.count()} closures"
    )
    return warning
