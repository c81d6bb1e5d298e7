"""Which OSM ways a car may drive, in which direction, and how fast: the routing rules as data.

Everything a region may want to tune (the class speeds, the weather factor) lives in
``SpeedProfile`` so that the graph builder stays free of magic numbers, and the profile used
for a graph is saved with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal

DRIVABLE: frozenset[str] = frozenset(
    {
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "living_street",
        "service",
        "motorway_link",
        "trunk_link",
        "primary_link",
        "secondary_link",
        "tertiary_link",
    }
)
"""``highway`` values a motor vehicle may route over (footways, tracks, paths are excluded)."""

DEFAULT_SPEEDS_KMH: MappingProxyType[str, float] = MappingProxyType(
    {
        "motorway": 90.0,
        "trunk": 70.0,
        "primary": 55.0,
        "secondary": 45.0,
        "tertiary": 40.0,
        "unclassified": 30.0,
        "residential": 25.0,
        "living_street": 10.0,
        "service": 15.0,
        "motorway_link": 50.0,
        "trunk_link": 45.0,
        "primary_link": 40.0,
        "secondary_link": 35.0,
        "tertiary_link": 30.0,
    }
)
"""Free-flow urban averages in km/h per class (not legal limits: they already absorb junction
delays, which is why primary roads with a 60 km/h limit average 55). Kazakh cities default to a
60 km/h limit, so only motorway/trunk exceed it."""

WEATHER_FACTORS: MappingProxyType[str, float] = MappingProxyType(
    {"dry": 1.0, "wet": 0.85, "snow": 0.7, "ice": 0.5}
)
"""Multipliers applied to every speed for a season or weather condition."""

Direction = Literal["both", "forward", "backward"]

_TRUE = frozenset({"yes", "true", "1"})
_MPH = 1.609344
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", re.IGNORECASE)


def direction(highway: str, oneway: str, junction: str) -> Direction:
    """The directions a way may be driven, relative to its vertex order.

    ``oneway=yes|true|1`` is forward only and ``oneway=-1`` backward only; roundabouts and
    motorways are one-way forward by OSM convention unless tagged ``oneway=no``. Any other
    value (``reversible``, ``alternating``, absent) is treated as two-way.
    """
    value = oneway.strip().lower()
    if value in _TRUE:
        return "forward"
    if value == "-1":
        return "backward"
    if value == "no":
        return "both"
    if junction.strip().lower() == "roundabout" or highway == "motorway":
        return "forward"
    return "both"


def parse_maxspeed_kmh(maxspeed: str) -> float | None:
    """A numeric OSM ``maxspeed`` in km/h (``"60"``, ``"40 mph"``); ``None`` for anything else
    (``"RU:urban"``, ``"signals"``, empty, zero)."""
    match = _NUMBER.match(maxspeed)
    if match is None:
        return None
    value = float(match.group(1))
    if match.group(2) and match.group(2).lower() == "mph":
        value *= _MPH
    return value if value > 0 else None


@dataclass(frozen=True)
class SpeedProfile:
    """Travel speeds for the time metric.

    ``speeds_kmh`` gives the default speed per ``highway`` class (see ``DEFAULT_SPEEDS_KMH``);
    a numeric ``maxspeed`` tag is used instead when it is lower, and ``factor`` scales the
    result for season or weather (``WEATHER_FACTORS``: snow 0.7). ``fallback_kmh`` covers a
    drivable class missing from ``speeds_kmh``.
    """

    speeds_kmh: Mapping[str, float] = field(default_factory=lambda: DEFAULT_SPEEDS_KMH, hash=False)
    factor: float = 1.0
    fallback_kmh: float = 25.0

    def __post_init__(self) -> None:
        if not (self.factor > 0 and math.isfinite(self.factor)):
            raise ValueError("factor must be a positive finite number")
        if not self.fallback_kmh > 0 or any(not v > 0 for v in self.speeds_kmh.values()):
            raise ValueError("speeds must be positive")
        if not isinstance(self.speeds_kmh, MappingProxyType):  # keep the profile immutable
            object.__setattr__(self, "speeds_kmh", MappingProxyType(dict(self.speeds_kmh)))

    @classmethod
    def for_conditions(cls, condition: str) -> SpeedProfile:
        """The default profile for a named condition from ``WEATHER_FACTORS``."""
        return cls(factor=WEATHER_FACTORS[condition])

    def with_factor(self, factor: float) -> SpeedProfile:
        """A copy with another season/weather factor."""
        return replace(self, factor=factor)

    def speed_kmh(self, highway: str, maxspeed: str = "") -> float:
        """Effective speed of a way: class default, capped by a lower maxspeed, times factor."""
        speed = self.speeds_kmh.get(highway, self.fallback_kmh)
        limit = parse_maxspeed_kmh(maxspeed)
        if limit is not None and limit < speed:
            speed = limit
        return speed * self.factor

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, saved alongside a graph."""
        return {
            "speeds_kmh": dict(self.speeds_kmh),
            "factor": self.factor,
            "fallback_kmh": self.fallback_kmh,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SpeedProfile:
        """Inverse of ``to_dict``."""
        speeds = data["speeds_kmh"]
        assert isinstance(speeds, dict)
        return cls(
            speeds_kmh=MappingProxyType({str(k): float(v) for k, v in speeds.items()}),
            factor=float(str(data["factor"])),
            fallback_kmh=float(str(data["fallback_kmh"])),
        )
