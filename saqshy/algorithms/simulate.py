"""Pure parts of the New Year's Eve demo simulator: arrival rates, sampling, motion.

No Django here. The demo's driver (``saqshy/demo/simulator.py``) calls these and talks to the
server over HTTP.

**Rates.** The simulated night runs from 18:00 on 31 December to 08:00 on 1 January and then
starts again. The number of incidents reported per simulated hour is
``peak_per_hour * NYE_SHAPE[hour] * share[type] * type_shape[type][hour] / mean``; arrivals are
a non-homogeneous Poisson process drawn by thinning (Lewis & Shedler, 1979). The shapes are
assumptions, stated here and in ``docs/simulator.md``:

* ``NYE_SHAPE``: calls build through the evening, peak in the first two hours of the year
  (fireworks, celebrations in the squares, alcohol) and fall away towards the morning. This is
  the usual pattern reported by emergency services for New Year's night; the numbers are our
  assumption, not a measurement.
* Traffic accidents follow the hour-of-day distribution of the real Astana accident cards of
  December–February in ``data/incidents/astana_accidents.csv.gz`` (the driver computes it with
  ``hour_shape``); every other type uses ``TYPE_SHAPES`` below.
* The level is set for a fleet of about 90 demo units, not for the whole city: at the default
  speed (one real minute = five simulated minutes) an incident arrives about every 15 s at the
  peak and every 40 s in the quiet morning hours.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterable, Mapping, Sequence

EARTH_RADIUS_M = 6_371_008.8
NIGHT_START_HOUR = 18
NIGHT_HOURS = 14
"""The simulated night: 18:00 on 31 December to 08:00 on 1 January, then again."""

# Relative call volume by hour of the night (index: hour of day), peak = 1.0. Assumption.
NYE_SHAPE: tuple[float, ...] = (
    1.00, 0.95, 0.80, 0.68, 0.60, 0.56, 0.55, 0.55,  # 00–07
    0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35,  # 08–15 (outside the night)
    0.35, 0.40, 0.50, 0.55, 0.60, 0.68, 0.78, 0.90,  # 16–23
)  # fmt: skip

FLAT: tuple[float, ...] = (1.0,) * 24
# Per-type modulation on top of NYE_SHAPE (relative; normalised by ``type_rate``). Assumptions:
# fires and fire alarms follow fireworks (midnight to 02:00); lost children and crowd density
# follow the events in the squares (20:00–01:00); medical calls and crime follow the overall
# curve; utility outages and stranded vehicles are spread over the cold night.
TYPE_SHAPES: dict[str, tuple[float, ...]] = {
    "fire": (
        2.0, 1.8, 1.3, 1.0, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6,
        0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.4,
    ),
    "fire_alarm": (
        1.8, 1.6, 1.2, 1.0, 0.8, 0.7, 0.7, 0.7, 0.8, 0.8, 0.8, 0.8,
        0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2, 1.4,
    ),
    "lost_child": (
        1.2, 0.8, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2,
        0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.6, 1.8, 1.8, 1.6, 1.5,
    ),
    "crowd_density": (
        1.8, 1.0, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
        0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.2, 1.4, 1.5, 1.8, 2.2,
    ),
    "utility_outage": FLAT,
    "stranded": FLAT,
}  # fmt: skip

# Share of each incident type in the night's calls (sums to 1). Assumption for a
# New Year's night in a large city: medical calls and public order lead, then road accidents.
TYPE_SHARES: dict[str, float] = {
    "medical": 0.28,
    "crime": 0.24,
    "traffic_accident": 0.15,
    "fire_alarm": 0.07,
    "fire": 0.05,
    "other": 0.06,
    "lost_child": 0.04,
    "stranded": 0.04,
    "crowd_density": 0.03,
    "suspicious_object": 0.02,
    "utility_outage": 0.02,
}

# Minutes on scene before the incident is closed: (median, spread factor of a log-normal).
ON_SCENE_MINUTES: dict[str, tuple[float, float]] = {
    "fire": (40.0, 1.4),
    "fire_alarm": (10.0, 1.4),
    "medical": (25.0, 1.4),
    "traffic_accident": (30.0, 1.4),
    "crime": (25.0, 1.5),
    "lost_child": (30.0, 1.5),
    "crowd_density": (35.0, 1.3),
    "suspicious_object": (45.0, 1.3),
    "utility_outage": (60.0, 1.4),
    "stranded": (30.0, 1.4),
    "other": (15.0, 1.5),
}
DEFAULT_ON_SCENE = (20.0, 1.5)


def night_hour(sim_seconds: float) -> int:
    """The hour of day at ``sim_seconds`` after the night's start (18:00), looping nightly."""
    offset = (sim_seconds % (NIGHT_HOURS * 3600.0)) / 3600.0
    return int(NIGHT_START_HOUR + offset) % 24


def night_clock(sim_seconds: float) -> str:
    """``HH:MM`` of the simulated night at ``sim_seconds`` after 18:00."""
    minutes = int((sim_seconds % (NIGHT_HOURS * 3600.0)) // 60) + NIGHT_START_HOUR * 60
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}"


def hour_shape(hours: Iterable[int], smoothing: float = 1.0) -> tuple[float, ...]:
    """A 24-value relative curve (mean 1) from observed hours of day, with add-``smoothing``.

    Empty input gives the flat curve.
    """
    counts = [smoothing] * 24
    for hour in hours:
        if not 0 <= hour < 24:
            raise ValueError(f"hour out of range: {hour}")
        counts[hour] += 1.0
    mean = sum(counts) / 24.0
    return tuple(c / mean for c in counts) if mean > 0 else FLAT


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 1.0


class RateModel:
    """Incidents per simulated hour, by type and hour of day; the busiest hour has
    ``peak_per_hour`` in all."""

    def __init__(
        self,
        peak_per_hour: float = 48.0,
        shares: Mapping[str, float] | None = None,
        shapes: Mapping[str, Sequence[float]] | None = None,
    ) -> None:
        self.peak_per_hour = peak_per_hour
        self.shares = dict(shares if shares is not None else TYPE_SHARES)
        self.shapes: dict[str, tuple[float, ...]] = dict(TYPE_SHAPES)
        for code, shape in (shapes or {}).items():
            if len(shape) != 24:
                raise ValueError(f"{code}: a shape has 24 hourly values")
            self.shapes[code] = tuple(shape)
        self._scale = 1.0
        raw_max = max(self.total(hour) for hour in range(24))
        self._scale = peak_per_hour / raw_max if raw_max > 0 else 0.0
        self._table = [self._rates(hour) for hour in range(24)]

    def type_rate(self, code: str, hour: int) -> float:
        shape = self.shapes.get(code, FLAT)
        relative = NYE_SHAPE[hour] * self.shares.get(code, 0.0) * shape[hour] / _mean(shape)
        return self._scale * relative

    def _rates(self, hour: int) -> dict[str, float]:
        return {code: self.type_rate(code, hour) for code in sorted(self.shares)}

    def rates(self, hour: int) -> dict[str, float]:
        table = getattr(self, "_table", None)
        return dict(table[hour]) if table is not None else self._rates(hour)

    def total(self, hour: int) -> float:
        return sum(self.rates(hour).values())

    def max_total(self) -> float:
        return max(self.total(hour) for hour in range(24))


def next_arrival(
    rng: random.Random, model: RateModel, sim_seconds: float, horizon: float = 86_400.0
) -> tuple[float, str] | None:
    """The next arrival after ``sim_seconds`` and its type, by thinning; ``None`` past horizon.

    Candidates come at the model's maximum rate; one at time t is kept with probability
    ``total(t) / max``, and its type is drawn in proportion to the types' rates at t.
    """
    ceiling = model.max_total() / 3600.0
    if ceiling <= 0:
        return None
    t = sim_seconds
    while t - sim_seconds < horizon:
        t += rng.expovariate(ceiling)
        rates = model.rates(night_hour(t))
        total = sum(rates.values()) / 3600.0
        if rng.random() * ceiling <= total:
            return t, weighted_choice(rng, rates)
    return None


def weighted_choice(rng: random.Random, weights: Mapping[str, float]) -> str:
    """A key drawn in proportion to its (non-negative) weight; keys in sorted order."""
    keys = sorted(k for k, w in weights.items() if w > 0)
    if not keys:
        raise ValueError("no positive weight")
    cumulative: list[float] = []
    running = 0.0
    for key in keys:
        running += weights[key]
        cumulative.append(running)
    index = bisect.bisect_right(cumulative, rng.random() * running)
    return keys[min(index, len(keys) - 1)]


def on_scene_seconds(rng: random.Random, code: str) -> float:
    """Simulated seconds on scene: log-normal around the type's median, 3–180 minutes."""
    median, spread = ON_SCENE_MINUTES.get(code, DEFAULT_ON_SCENE)
    minutes = median * math.exp(rng.gauss(0.0, math.log(spread)))
    return 60.0 * min(max(minutes, 3.0), 180.0)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def jitter(rng: random.Random, lat: float, lon: float, radius_m: float) -> tuple[float, float]:
    """A point uniformly inside the disc of ``radius_m`` around (lat, lon)."""
    distance = radius_m * math.sqrt(rng.random())
    bearing = rng.random() * 2 * math.pi
    dlat = distance * math.cos(bearing) / 111_320.0
    dlon = distance * math.sin(bearing) / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    return lat + dlat, lon + dlon


class Track:
    """Motion along a polyline of ``[lon, lat]`` vertices taking ``seconds`` from end to end.

    Speed is constant along the line (the route's total time over its length): position at a
    time is found by arc length, so a unit never jumps off the road geometry.
    """

    def __init__(self, coords: Sequence[Sequence[float]], seconds: float) -> None:
        if not coords:
            raise ValueError("a track needs at least one vertex")
        self.coords = [(float(c[0]), float(c[1])) for c in coords]
        self.cumulative = [0.0]
        for (lon1, lat1), (lon2, lat2) in zip(self.coords, self.coords[1:], strict=False):
            self.cumulative.append(self.cumulative[-1] + haversine_m(lat1, lon1, lat2, lon2))
        self.seconds = max(float(seconds), 0.0)

    @property
    def meters(self) -> float:
        return self.cumulative[-1]

    def at_distance(self, meters: float) -> tuple[float, float]:
        """(lat, lon) at ``meters`` along the line (clamped to its ends)."""
        if meters <= 0 or self.meters == 0:
            lon, lat = self.coords[0]
            return lat, lon
        if meters >= self.meters:
            lon, lat = self.coords[-1]
            return lat, lon
        i = bisect.bisect_right(self.cumulative, meters) - 1
        i = min(max(i, 0), len(self.coords) - 2)
        seg = self.cumulative[i + 1] - self.cumulative[i]
        f = 0.0 if seg == 0 else (meters - self.cumulative[i]) / seg
        (lon1, lat1), (lon2, lat2) = self.coords[i], self.coords[i + 1]
        return lat1 + f * (lat2 - lat1), lon1 + f * (lon2 - lon1)

    def at_time(self, elapsed: float) -> tuple[float, float]:
        """(lat, lon) ``elapsed`` seconds after the start (clamped to the ends)."""
        if self.seconds <= 0:
            return self.at_distance(self.meters if elapsed > 0 else 0.0)
        return self.at_distance(self.meters * min(max(elapsed / self.seconds, 0.0), 1.0))

    def done(self, elapsed: float) -> bool:
        return elapsed >= self.seconds
