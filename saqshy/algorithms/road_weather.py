"""Road-weather warnings from an hourly weather series: which hours are dangerous, as windows.

Pure: dataclasses in and out, no Django. ``warning_windows(hours, thresholds)`` looks at each
hour of a series (local wall-clock or aware times, one hour apart; a longer gap breaks a
window) and marks it for each kind of hazard it meets:

* extreme cold: temperature at or below ``cold_orange_c`` (orange) or ``cold_red_c`` (red);
* storm wind: gusts at or above ``wind_orange_kmh`` (orange) or ``wind_red_kmh`` (red);
* blizzard: snow falling (snowfall, or a snow weather code) with gusts at or above
  ``blizzard_orange_kmh`` (orange) or ``blizzard_red_kmh`` (red);
* heavy snow: snowfall over the last 12 hours at or above ``snow_yellow_cm`` (yellow) or
  ``snow_orange_cm`` (orange);
* black ice: freezing drizzle or rain (weather codes 56, 57, 66, 67; freezing rain is
  orange), rain at or below +1 °C, or frost within ``ice_refreeze_hours`` after rain.

Marked hours of one kind that are at most ``merge_gap_hours`` apart form one window; a window
shorter than ``min_hours`` is dropped. Each window has the worst level of its hours and the
worst values inside it (lowest temperature, strongest gust, most snow).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

HOUR = dt.timedelta(hours=1)

BLIZZARD = "blizzard"
EXTREME_COLD = "extreme_cold"
STORM_WIND = "storm_wind"
HEAVY_SNOW = "heavy_snow"
BLACK_ICE = "black_ice"
KINDS = (BLIZZARD, EXTREME_COLD, STORM_WIND, HEAVY_SNOW, BLACK_ICE)

YELLOW = "yellow"
ORANGE = "orange"
RED = "red"
LEVELS = (YELLOW, ORANGE, RED)
"""Levels from the least to the most severe (the Meteoalarm colours)."""

SNOW_CODES = frozenset({71, 73, 75, 77, 85, 86})
"""WMO weather codes of falling snow (snowfall, snow grains, snow showers)."""
FREEZING_CODES = frozenset({56, 57, 66, 67})
FREEZING_RAIN_CODES = frozenset({66, 67})
SNOW_CM_PER_MM = 0.7
"""Open-Meteo's snowfall: 1 mm of water falls as 0.7 cm of snow."""
SNOW_WINDOW_HOURS = 12


@dataclass(frozen=True)
class HourlyWeather:
    """One hour of weather: temperature at 2 m, wind and gusts at 10 m, snow and
    precipitation in the hour, WMO weather code (``None`` if unknown)."""

    at: dt.datetime
    temperature_c: float
    gust_kmh: float
    snowfall_cm: float = 0.0
    wind_kmh: float = 0.0
    precipitation_mm: float = 0.0
    weather_code: int | None = None

    @property
    def snowing(self) -> bool:
        return self.snowfall_cm > 0 or self.weather_code in SNOW_CODES

    @property
    def rain_mm(self) -> float:
        """The liquid part of the hour's precipitation."""
        return max(0.0, self.precipitation_mm - self.snowfall_cm / SNOW_CM_PER_MM)


@dataclass(frozen=True)
class Thresholds:
    """The rules' thresholds (the norms ``weather_*``); defaults as in ``accounts.norms``."""

    cold_orange_c: float = -30.0
    cold_red_c: float = -35.0
    wind_orange_kmh: float = 72.0
    wind_red_kmh: float = 90.0
    blizzard_orange_kmh: float = 54.0
    blizzard_red_kmh: float = 83.0
    snow_yellow_cm: float = 5.0
    snow_orange_cm: float = 14.0
    rain_mm: float = 0.1
    ice_refreeze_hours: int = 6
    min_hours: int = 2
    merge_gap_hours: int = 2


@dataclass(frozen=True)
class WarningWindow:
    """Hazardous weather of one kind from ``start`` to ``end`` (end exclusive: the last
    hour's start plus one hour), at its worst level, with the worst values inside it."""

    kind: str
    level: str
    start: dt.datetime
    end: dt.datetime
    hours: int
    min_temperature_c: float
    max_gust_kmh: float
    snowfall_cm: float
    max_wind_kmh: float


def _rank(level: str | None) -> int:
    return -1 if level is None else LEVELS.index(level)


def _above(value: float, orange: float, red: float) -> str | None:
    if value >= red:
        return RED
    if value >= orange:
        return ORANGE
    return None


def _cold(hour: HourlyWeather, t: Thresholds) -> str | None:
    if hour.temperature_c <= t.cold_red_c:
        return RED
    if hour.temperature_c <= t.cold_orange_c:
        return ORANGE
    return None


def _wind(hour: HourlyWeather, t: Thresholds) -> str | None:
    return _above(hour.gust_kmh, t.wind_orange_kmh, t.wind_red_kmh)


def _blizzard(hour: HourlyWeather, t: Thresholds) -> str | None:
    if not hour.snowing:
        return None
    return _above(hour.gust_kmh, t.blizzard_orange_kmh, t.blizzard_red_kmh)


def _breaks(hours: Sequence[HourlyWeather], i: int) -> bool:
    """Whether hour ``i`` does not follow hour ``i - 1`` directly (a gap in the series)."""
    return i == 0 or hours[i].at - hours[i - 1].at != HOUR


def _snow_levels(hours: Sequence[HourlyWeather], t: Thresholds) -> list[str | None]:
    """Heavy snow: the snowfall over the last 12 consecutive hours, per hour."""
    levels: list[str | None] = []
    total, start = 0.0, 0
    for i, hour in enumerate(hours):
        if _breaks(hours, i):
            total, start = 0.0, i
        total += hour.snowfall_cm
        while i - start >= SNOW_WINDOW_HOURS:
            total -= hours[start].snowfall_cm
            start += 1
        level = None
        if hour.snowfall_cm > 0:
            if total >= t.snow_orange_cm - 1e-9:
                level = ORANGE
            elif total >= t.snow_yellow_cm - 1e-9:
                level = YELLOW
        levels.append(level)
    return levels


def _ice_levels(hours: Sequence[HourlyWeather], t: Thresholds) -> list[str | None]:
    levels: list[str | None] = []
    last_rain: int | None = None
    for i, hour in enumerate(hours):
        if _breaks(hours, i):
            last_rain = None
        level = None
        if hour.weather_code in FREEZING_RAIN_CODES:
            level = ORANGE
        elif (
            hour.weather_code in FREEZING_CODES
            or (hour.rain_mm >= t.rain_mm and hour.temperature_c <= 1.0)
            or (
                hour.temperature_c <= 0.0
                and last_rain is not None
                and i - last_rain <= t.ice_refreeze_hours
            )
        ):
            level = YELLOW
        if hour.rain_mm >= t.rain_mm:
            last_rain = i
        levels.append(level)
    return levels


def _per_hour(
    rule: Callable[[HourlyWeather, Thresholds], str | None],
) -> Callable[[Sequence[HourlyWeather], Thresholds], list[str | None]]:
    def levels(hours: Sequence[HourlyWeather], t: Thresholds) -> list[str | None]:
        return [rule(hour, t) for hour in hours]

    return levels


RULES: dict[str, Callable[[Sequence[HourlyWeather], Thresholds], list[str | None]]] = {
    BLIZZARD: _per_hour(_blizzard),
    EXTREME_COLD: _per_hour(_cold),
    STORM_WIND: _per_hour(_wind),
    HEAVY_SNOW: _snow_levels,
    BLACK_ICE: _ice_levels,
}


def hour_levels(
    hours: Sequence[HourlyWeather], thresholds: Thresholds
) -> dict[str, list[str | None]]:
    """Per kind, the level each hour meets (``None``: none). ``hours`` in time order."""
    return {kind: rule(hours, thresholds) for kind, rule in RULES.items()}


def _window(kind: str, members: list[tuple[HourlyWeather, str]]) -> WarningWindow:
    hours = [hour for hour, _level in members]
    return WarningWindow(
        kind=kind,
        level=max((level for _hour, level in members), key=_rank),
        start=hours[0].at,
        end=hours[-1].at + HOUR,
        hours=len(hours),
        min_temperature_c=min(hour.temperature_c for hour in hours),
        max_gust_kmh=max(hour.gust_kmh for hour in hours),
        snowfall_cm=round(sum(hour.snowfall_cm for hour in hours), 2),
        max_wind_kmh=max(hour.wind_kmh for hour in hours),
    )


def warning_windows(
    hours: Sequence[HourlyWeather], thresholds: Thresholds | None = None
) -> list[WarningWindow]:
    """The warning windows of every kind, ordered by start then kind.

    ``hours`` must be in strictly increasing time order (``ValueError`` otherwise).
    """
    t = thresholds or Thresholds()
    for before, after in itertools.pairwise(hours):
        if after.at <= before.at:
            raise ValueError("weather hours must be in strictly increasing time order")
    found: list[WarningWindow] = []
    gap = dt.timedelta(hours=t.merge_gap_hours + 1)
    for kind, levels in hour_levels(hours, t).items():
        members: list[tuple[HourlyWeather, str]] = []
        for hour, level in zip(hours, levels, strict=True):
            if level is None:
                continue
            if members and hour.at - members[-1][0].at > gap:
                if len(members) >= t.min_hours:
                    found.append(_window(kind, members))
                members = []
            members.append((hour, level))
        if len(members) >= t.min_hours:
            found.append(_window(kind, members))
    found.sort(key=lambda w: (w.start, KINDS.index(w.kind)))
    return found


def strongest(windows: Sequence[WarningWindow], kind: str = BLIZZARD) -> WarningWindow | None:
    """The most severe window of ``kind``: highest level, then strongest gust, then longest,
    then earliest."""
    candidates = sorted((w for w in windows if w.kind == kind), key=lambda w: w.start)
    if not candidates:
        return None
    # max() keeps the first of equals: the earliest.
    return max(candidates, key=lambda w: (_rank(w.level), w.max_gust_kmh, w.hours))
