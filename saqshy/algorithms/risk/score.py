"""Score one venue and rank a work queue.

The score is a plain sum of points, one term per factor (no multipliers, no hidden
interactions), so the breakdown the page shows *is* the computation: an inspector can add the
rows up and get the total, and the order of the queue follows from the totals alone (ties go to
the lower ``venue_id``).  See :mod:`saqshy.algorithms.risk.weights` for what each point means.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping

from saqshy.algorithms.risk.model import Factor, RiskScore, VenueRisk
from saqshy.algorithms.risk.weights import DEFAULT_WEIGHTS, OTHER_KIND, SEVERITIES, RiskWeights

_POINTS_DECIMALS = 3
_TOTAL_DECIMALS = 6


def _factor(code: str, label: str, value: str, points: float) -> Factor:
    return Factor(code=code, label=label, value=value, points=round(points, _POINTS_DECIMALS))


def _kind(venue: VenueRisk, w: RiskWeights) -> Factor:
    points = w.kind_points.get(venue.kind, w.kind_points[OTHER_KIND])
    return _factor("kind", "Facility kind (who is inside)", venue.kind, points)


def _capacity(venue: VenueRisk, w: RiskWeights) -> Factor:
    label = "Occupant capacity (log scale)"
    if venue.capacity is None:
        return _factor("capacity", label, "unknown", w.capacity_unknown_points)
    points = w.capacity_points_per_log10 * math.log10(max(venue.capacity, 1))
    return _factor("capacity", label, str(venue.capacity), points)


def _children_events(venue: VenueRisk, w: RiskWeights) -> Factor:
    count = venue.children_events_soon
    points = w.children_event_points * min(count, w.children_events_cap)
    return _factor("children_events", "Children's events in the horizon", str(count), points)


def _events(venue: VenueRisk, w: RiskWeights) -> Factor:
    count = venue.events_soon
    points = w.event_points * min(count, w.events_cap)
    return _factor("events", "Events in the horizon", str(count), points)


def urgency_points(days: int | None, curve: tuple[tuple[int, float], ...]) -> float:
    """Points for an event ``days`` away on a piecewise-linear ``curve``; 0 when ``None``.

    Before the first breakpoint is impossible (days >= 0, the curve starts at 0); after the
    last one the last points apply.  Non-increasing in ``days`` for any valid curve.
    """
    if days is None:
        return 0.0
    days_axis = [day for day, _ in curve]
    index = bisect.bisect_right(days_axis, days) - 1
    day_a, points_a = curve[index]
    if index + 1 >= len(curve) or days == day_a:
        return float(points_a)
    day_b, points_b = curve[index + 1]
    return points_a + (points_b - points_a) * (days - day_a) / (day_b - day_a)


def _next_event(venue: VenueRisk, w: RiskWeights) -> Factor:
    days = venue.days_until_next_event
    points = urgency_points(days, w.next_event_urgency)
    value = "none" if days is None else str(days)
    return _factor("next_event", "Days until the next event", value, points)


def _severity_value(counts: Mapping[str, int]) -> str:
    parts = [f"{sev}={counts[sev]}" for sev in reversed(SEVERITIES) if counts.get(sev, 0)]
    return ", ".join(parts) if parts else "none"


def _severity_points(counts: Mapping[str, int], table: Mapping[str, float]) -> float:
    return sum(table[sev] * counts.get(sev, 0) for sev in SEVERITIES)


def _open_violations(venue: VenueRisk, w: RiskWeights) -> Factor:
    counts = venue.open_violations
    points = _severity_points(counts, w.open_violation_points)
    label = "Open violations by severity"
    return _factor("open_violations", label, _severity_value(counts), points)


def _past_violations(venue: VenueRisk, w: RiskWeights) -> Factor:
    counts = venue.past_violations
    points = min(_severity_points(counts, w.past_violation_points), w.past_violations_cap_points)
    label = "Violations eliminated in the last 3 years"
    return _factor("past_violations", label, _severity_value(counts), points)


def _last_inspection(venue: VenueRisk, w: RiskWeights) -> Factor:
    days = venue.days_since_last_inspection
    label = "Days since the last inspection"
    if days is None:
        return _factor("last_inspection", label, "never", w.never_inspected_points)
    points = min(w.points_per_30_days_uninspected * days / 30, w.last_inspection_cap_points)
    return _factor("last_inspection", label, str(days), points)


def _equipment(
    code: str, label: str, present: bool | None, missing: float, unknown: float
) -> Factor:
    if present is None:
        return _factor(code, label, "unknown", unknown)
    return _factor(code, label, "yes" if present else "no", 0.0 if present else missing)


def _fire_alarm(venue: VenueRisk, w: RiskWeights) -> Factor:
    return _equipment(
        "no_fire_alarm",
        "Fire alarm installed",
        venue.has_fire_alarm,
        w.no_fire_alarm_points,
        w.fire_alarm_unknown_points,
    )


def _sprinklers(venue: VenueRisk, w: RiskWeights) -> Factor:
    return _equipment(
        "no_sprinklers",
        "Sprinklers installed",
        venue.has_sprinklers,
        w.no_sprinklers_points,
        w.sprinklers_unknown_points,
    )


def _storeys(venue: VenueRisk, w: RiskWeights) -> Factor:
    label = "Storeys (above the ground floor count)"
    if venue.storeys is None:
        return _factor("storeys", label, "unknown", w.storeys_unknown_points)
    points = min(w.storey_points * max(venue.storeys - 1, 0), w.storeys_cap_points)
    return _factor("storeys", label, str(venue.storeys), points)


_FACTORS: tuple[Callable[[VenueRisk, RiskWeights], Factor], ...] = (
    _kind,
    _capacity,
    _children_events,
    _events,
    _next_event,
    _open_violations,
    _past_violations,
    _last_inspection,
    _fire_alarm,
    _sprinklers,
    _storeys,
)


def score(venue: VenueRisk, weights: RiskWeights = DEFAULT_WEIGHTS) -> RiskScore:
    """The venue's risk score with one :class:`Factor` per entry of ``FACTOR_CODES``.

    Each factor's points are rounded to 3 decimals; the total is their sum rounded to 6, so
    the factors shown always add up to the total.  A kind missing from ``weights.kind_points``
    scores as ``"other"`` (the factor's value still shows the real kind).
    """
    factors = tuple(compute(venue, weights) for compute in _FACTORS)
    total = round(sum(f.points for f in factors), _TOTAL_DECIMALS)
    return RiskScore(venue_id=venue.venue_id, total=total, factors=factors)


def rank(venues: Iterable[VenueRisk], weights: RiskWeights = DEFAULT_WEIGHTS) -> list[RiskScore]:
    """Score every venue and order them riskiest first, ties by ``venue_id`` ascending.

    The order depends only on the totals and ids, never on the input order, so the same
    venues always give the same queue.  Raises :class:`ValueError` if a ``venue_id`` repeats
    (two different records for one venue would make the order ambiguous).
    """
    scores: list[RiskScore] = []
    seen: set[int] = set()
    for venue in venues:
        if venue.venue_id in seen:
            raise ValueError(f"venue_id {venue.venue_id} appears more than once")
        seen.add(venue.venue_id)
        scores.append(score(venue, weights))
    scores.sort(key=lambda s: (-s.total, s.venue_id))
    return scores
