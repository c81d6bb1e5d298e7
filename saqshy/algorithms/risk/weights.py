"""The constants of the inspection risk score, as data.

Every number the score uses lives in :class:`RiskWeights`, so the page can show (and an
administrator can review) exactly what a point is worth.  The defaults encode the priority
order an inspector works to before a holiday season:

1. **Children and crowds first.**  The facility kind carries base points (kindergarten 30,
   school and hospital 25: occupants who cannot evacuate themselves; malls and stadiums 20:
   dense crowds), capacity adds 10 points per factor of ten occupants (100 people = 20,
   1 000 = 30, 10 000 = 40; a log scale because evacuation difficulty grows far slower than
   head count), and each children's event in the horizon adds 15 points (capped at 4 events,
   one inspection covers them all).
2. **Then imminence.**  The next event adds up to 40 points on a piecewise-linear urgency
   curve (today 40, in 3 days 34, a week 26, two weeks 16, a month 6, two months or later 0),
   and every scheduled event adds 3 points (capped at 10 events).
3. **Then known defects.**  Each open violation adds 3 / 8 / 20 points (minor / major /
   critical) with no cap: an unresolved critical defect must always surface.  Eliminated
   violations of the last three years add 1 / 2.5 / 5 points, capped at 20, as a sign of how
   the venue is run.  A missing fire alarm adds 20 points, an unknown one 8; missing
   sprinklers 10, unknown 4 (unknown is cheaper than missing, but never free, so that a
   blank record is not rewarded).  Each storey above the ground floor adds 1.5 points (capped
   at 15), an unknown storey count 1.5.
4. **Then staleness.**  Each 30 days since the last inspection adds 1 point (continuous,
   capped at 24, i.e. two years); a venue never inspected gets 30 points, always more than
   any stale one.

Every weight is non-negative and every "riskier" input maps to at least as many points, so
the total is monotonic in each input; :meth:`RiskWeights.__post_init__` rejects weights that
would break that.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

SEVERITIES: tuple[str, ...] = ("minor", "major", "critical")
"""Violation severities, least to most severe."""

OTHER_KIND = "other"
"""The kind whose base points apply to any kind missing from :attr:`RiskWeights.kind_points`."""

DEFAULT_KIND_POINTS: Mapping[str, float] = MappingProxyType(
    {
        "kindergarten": 30.0,
        "school": 25.0,
        "hospital": 25.0,
        "mall": 20.0,
        "stadium": 20.0,
        "theatre_cinema": 18.0,
        "market": 18.0,
        "university": 15.0,
        "sports_centre": 15.0,
        "station": 15.0,
        "airport": 15.0,
        "religious_site": 12.0,
        "clinic": 12.0,
        "energy_site": 10.0,
        "heating_plant": 10.0,
        "water_utility": 6.0,
        "police_station": 5.0,
        "fire_station": 2.0,
        OTHER_KIND: 5.0,
    }
)
"""Base points per facility kind: who is inside (children, patients) and how many."""

DEFAULT_NEXT_EVENT_URGENCY: tuple[tuple[int, float], ...] = (
    (0, 40.0),
    (3, 34.0),
    (7, 26.0),
    (14, 16.0),
    (30, 6.0),
    (60, 0.0),
)
"""``(days until the next event, points)`` breakpoints, linearly interpolated."""

DEFAULT_OPEN_VIOLATION_POINTS: Mapping[str, float] = MappingProxyType(
    {"minor": 3.0, "major": 8.0, "critical": 20.0}
)
"""Points per open (not yet eliminated) violation, by severity."""

DEFAULT_PAST_VIOLATION_POINTS: Mapping[str, float] = MappingProxyType(
    {"minor": 1.0, "major": 2.5, "critical": 5.0}
)
"""Points per eliminated violation of the last three years, by severity."""


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, kw_only=True)
class RiskWeights:
    """All constants of the risk score; the defaults are justified in the module docstring.

    Mappings are copied into read-only views on construction, so a weights object cannot
    change after it has been used to rank a queue.  (Being mapping-valued, it is not hashable.)
    """

    kind_points: Mapping[str, float] = field(default_factory=lambda: DEFAULT_KIND_POINTS)
    """Base points per facility kind; must contain ``"other"``, used for unlisted kinds."""

    capacity_points_per_log10: float = 10.0
    """Points per log10 of the capacity (capacity 0 and 1 both score 0)."""
    capacity_unknown_points: float = 20.0
    """Points when the capacity is unknown: as if 100 people, so a blank is not rewarded."""

    children_event_points: float = 15.0
    """Points per children's event scheduled in the horizon."""
    children_events_cap: int = 4
    """Children's events beyond this many add nothing more."""

    event_points: float = 3.0
    """Points per event (of any kind, children's included) scheduled in the horizon."""
    events_cap: int = 10
    """Events beyond this many add nothing more."""

    next_event_urgency: tuple[tuple[int, float], ...] = DEFAULT_NEXT_EVENT_URGENCY
    """``(days, points)`` breakpoints: days strictly increasing from 0, points non-increasing;
    linear in between, the last points beyond the last breakpoint; no event scores 0."""

    open_violation_points: Mapping[str, float] = field(
        default_factory=lambda: DEFAULT_OPEN_VIOLATION_POINTS
    )
    """Points per open violation, by severity (keys: every entry of :data:`SEVERITIES`)."""

    past_violation_points: Mapping[str, float] = field(
        default_factory=lambda: DEFAULT_PAST_VIOLATION_POINTS
    )
    """Points per eliminated violation of the last three years, by severity."""
    past_violations_cap_points: float = 20.0
    """The past-violations factor never exceeds this many points."""

    points_per_30_days_uninspected: float = 1.0
    """Points per 30 days since the last inspection (continuous, not stepped)."""
    last_inspection_cap_points: float = 24.0
    """The staleness factor never exceeds this many points."""
    never_inspected_points: float = 30.0
    """Points for a venue never inspected; must be at least the staleness cap."""

    no_fire_alarm_points: float = 20.0
    """Points when the venue has no fire alarm."""
    fire_alarm_unknown_points: float = 8.0
    """Points when it is unknown whether the venue has a fire alarm (at most the above)."""

    no_sprinklers_points: float = 10.0
    """Points when the venue has no sprinklers."""
    sprinklers_unknown_points: float = 4.0
    """Points when it is unknown whether the venue has sprinklers (at most the above)."""

    storey_points: float = 1.5
    """Points per storey above the ground floor."""
    storeys_cap_points: float = 15.0
    """The storeys factor never exceeds this many points."""
    storeys_unknown_points: float = 1.5
    """Points when the storey count is unknown (as if two storeys)."""

    def __post_init__(self) -> None:
        """Freeze the mappings and reject weights that would break monotonicity."""
        for name in ("kind_points", "open_violation_points", "past_violation_points"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        if OTHER_KIND not in self.kind_points:
            raise ValueError(f"kind_points must contain {OTHER_KIND!r}")
        for kind, points in self.kind_points.items():
            _non_negative(f"kind_points[{kind!r}]", points)
        for name in ("open_violation_points", "past_violation_points"):
            table: Mapping[str, float] = getattr(self, name)
            if set(table) != set(SEVERITIES):
                raise ValueError(f"{name} must have exactly the keys {', '.join(SEVERITIES)}")
            for severity, points in table.items():
                _non_negative(f"{name}[{severity!r}]", points)
        for name in (
            "capacity_points_per_log10",
            "capacity_unknown_points",
            "children_event_points",
            "children_events_cap",
            "event_points",
            "events_cap",
            "past_violations_cap_points",
            "points_per_30_days_uninspected",
            "last_inspection_cap_points",
            "never_inspected_points",
            "no_fire_alarm_points",
            "fire_alarm_unknown_points",
            "no_sprinklers_points",
            "sprinklers_unknown_points",
            "storey_points",
            "storeys_cap_points",
            "storeys_unknown_points",
        ):
            _non_negative(name, getattr(self, name))
        if self.never_inspected_points < self.last_inspection_cap_points:
            raise ValueError("never_inspected_points must be >= last_inspection_cap_points")
        if self.fire_alarm_unknown_points > self.no_fire_alarm_points:
            raise ValueError("fire_alarm_unknown_points must be <= no_fire_alarm_points")
        if self.sprinklers_unknown_points > self.no_sprinklers_points:
            raise ValueError("sprinklers_unknown_points must be <= no_sprinklers_points")
        _check_urgency(self.next_event_urgency)


def _non_negative(name: str, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def _check_urgency(curve: tuple[tuple[int, float], ...]) -> None:
    name = "next_event_urgency"
    if not curve:
        raise ValueError(f"{name} must have at least one breakpoint")
    if curve[0][0] != 0:
        raise ValueError(f"{name} must start at day 0")
    for day, points in curve:
        _non_negative(f"{name} day", day)
        _non_negative(f"{name} points", points)
    for (day_a, points_a), (day_b, points_b) in itertools.pairwise(curve):
        if day_b <= day_a:
            raise ValueError(f"{name} days must be strictly increasing")
        if points_b > points_a:
            raise ValueError(f"{name} points must be non-increasing")


DEFAULT_WEIGHTS = RiskWeights()
"""The weights the work queue uses unless told otherwise."""
