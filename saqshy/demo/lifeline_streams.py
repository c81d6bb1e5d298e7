"""Demo telemetry of Astana's utility sites, following the real hourly weather.

One stream per utility site (``saqshy/telemetry/{site}/{parameter}``) and one for the weather
station (``outdoor_temp``, ``wind_speed``), each sending every 5–10 simulated minutes (by
seed). Heating sites send the supply temperature on the region's heating curve at the real
outdoor temperature of that moment (see ``saqshy.demo.weather`` for how the simulated clock
maps onto the winter of 2024/25) with a little noise, the return temperature and the pressure;
water sites pressure and flow; substations voltage.

The first heating site (a boiler house if there is one, else the heat plant) falls behind on
the coldest night of the weather window: from the first hour of that night within 3 °C of its
lowest temperature, for ``FAULT_HOURS``, its supply runs ``FAULT_DROP`` °C below the curve.
The monitor raises the alert after the threshold's minutes, opens the outage and sends the
crew on shift; when the supply is back on the curve for the norm ``lifelines_restore_minutes``
the outage is restored automatically (the monitor, not the simulator, decides).

Message ids are ``<site>-<parameter>-<unix time>``: a stream replayed over the same clock sends
the same ids, which ingest stores once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from saqshy.accounts.models import Region
from saqshy.algorithms.lifelines import HeatingCurve
from saqshy.demo import weather as demo_weather
from saqshy.demo.streams import Outgoing, Stream
from saqshy.lifelines.choices import SiteKind
from saqshy.lifelines.models import UtilitySite
from saqshy.lifelines.queries import heating_curve

WEATHER_STATION = "astana-weather"
FAULT_HOURS = 4
FAULT_DROP = 35.0
FAULT_MARGIN = 3.0


@dataclass(frozen=True)
class Fault:
    """When (real weather time, naive local) a site's supply falls behind, and by how much."""

    start: dt.datetime
    end: dt.datetime
    drop: float = FAULT_DROP

    def covers(self, real: dt.datetime) -> bool:
        return self.start <= real < self.end


def fault_on_coldest_night(hours: list[demo_weather.Hour]) -> Fault | None:
    """The fault window on the coldest night (see the module docstring)."""
    evening = demo_weather.coldest_night(hours)
    if evening is None:
        return None
    night = demo_weather.night_hours(hours, evening)
    low = min(hour.temperature for hour in night)
    first = next(hour for hour in night if hour.temperature <= low + FAULT_MARGIN)
    return Fault(first.at, first.at + dt.timedelta(hours=FAULT_HOURS))


def _noise(*key: Any) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass
class SiteStream:
    """Telemetry of one site (or the weather station when ``kind`` is empty)."""

    serial: str
    kind: str
    interval: dt.timedelta
    weather: demo_weather.Weather
    curve: HeatingCurve
    seed: int
    fault: Fault | None = None
    start_day: dt.date | None = field(default=None)

    def parameters(self, real: dt.datetime) -> dict[str, float]:
        outdoor, wind = self.weather.at(real)
        noise = _noise(self.seed, self.serial, real.isoformat())
        if not self.kind:
            return {"outdoor_temp": round(outdoor, 1), "wind_speed": round(wind, 1)}
        if self.kind in SiteKind.HEATING:
            supply = self.curve.supply(outdoor) + noise.uniform(-1.5, 1.5)
            if self.fault is not None and self.fault.covers(real):
                supply -= self.fault.drop
            returned = 40.0 + (supply - 70.0) * 0.375 + noise.uniform(-1.0, 1.0)
            pressure = 8.0 + noise.uniform(-0.3, 0.3)
            return {
                "supply_temp": round(supply, 1),
                "return_temp": round(returned, 1),
                "pressure": round(pressure, 2),
            }
        if self.kind == SiteKind.SUBSTATION:
            return {"voltage": round(100.0 + noise.uniform(-2.0, 2.0), 1)}
        return {
            "pressure": round(4.2 + noise.uniform(-0.3, 0.3), 2),
            "flow": round(900.0 + noise.uniform(-60.0, 60.0), 0),
        }

    def times(self, now: dt.datetime, since: dt.datetime) -> Iterator[dt.datetime]:
        """Sending moments in ``(since, now]`` on the stream's grid (whole intervals)."""
        step = int(self.interval.total_seconds())
        first = (int(since.timestamp()) // step + 1) * step
        moment = first
        while moment <= now.timestamp():
            yield dt.datetime.fromtimestamp(moment, tz=dt.UTC)
            moment += step

    def due(self, now: dt.datetime, since: dt.datetime) -> Iterator[Outgoing]:
        if self.start_day is None:
            # The evening the simulator's night belongs to (a start before noon continues the
            # previous evening's night) plays New Year's Eve.
            self.start_day = (timezone.localtime(since) - dt.timedelta(hours=12)).date()
        for moment in self.times(now, since):
            local = timezone.localtime(moment)
            real = demo_weather.real_time(local, self.start_day)
            for parameter, value in self.parameters(real).items():
                yield Outgoing(
                    f"saqshy/telemetry/{self.serial}/{parameter}",
                    {
                        "id": f"{self.serial}-{parameter}-{int(moment.timestamp())}",
                        "time": local.isoformat(),
                        "value": value,
                    },
                )


def load_weather() -> demo_weather.Weather:
    return demo_weather.Weather(
        demo_weather.read_weather(settings.DATA_DIR / demo_weather.WEATHER_FILE)
    )


def faulty_site(sites: list[UtilitySite]) -> UtilitySite | None:
    """The heating site that falls behind: the first boiler house, else the first heat plant."""
    for kind in (SiteKind.BOILER_HOUSE, SiteKind.HEAT_PLANT):
        for site in sites:
            if site.kind == kind:
                return site
    return None


def make_streams(region: Region, seed: int) -> list[Stream]:
    """The region's site streams and its weather station's (``region``'s sites only)."""
    weather = load_weather()
    curve = heating_curve(region.pk)
    sites = list(UtilitySite.objects.filter(region=region).order_by("code"))
    broken = faulty_site(sites)
    fault = fault_on_coldest_night(weather.hours)
    rng = random.Random(seed)
    streams: list[Stream] = [
        SiteStream(WEATHER_STATION, "", dt.timedelta(minutes=10), weather, curve, seed)
    ]
    for site in sites:
        streams.append(
            SiteStream(
                site.code,
                site.kind,
                dt.timedelta(minutes=rng.choice((5, 6, 8, 10))),
                weather,
                curve,
                seed,
                fault if site == broken else None,
            )
        )
    return streams
