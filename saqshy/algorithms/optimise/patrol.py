"""Patrol plans: visits to hotspot cells in proportion to risk, in an order that changes nightly.

For each time slot the plan decides how many stops its units can make, shares them among the
cells by the largest-remainder method on the risk scores (so each cell gets its exact quota
rounded up or down, never further), splits them among the units by a sweep around the centre
of the cells that starts at a random angle (each unit gets a compact area, and a different
one each night), and orders each unit's stops as a random tour: from a random first stop, the
next is drawn with probability falling off with travel time (``exp(-minutes / temperature)``),
so tours stay short without being predictable. Stops last ``min_stop``–``max_stop`` minutes,
drawn per stop (Koper: 10–15 minutes, unpredictably). If the tours do not fit in the slot the
number of stops is reduced until they do.

**A unit's night is one walk.** A unit carries its last stop and the minute it left it into the
next slot: the areas of a slot go to the units nearest to them (fewest minutes from where each
stands), and the first stop of a slot is reached at the planned speed from the last one, so
no leg between two stops, within a slot or across slots, is faster than ``speed_kmh`` (for
foot patrols, the walking-speed norm).

Everything random comes from ``seed``: the same seed gives the same plan, so the app draws a
fresh secret seed per night, stores it and can always rebuild the printed sheets.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from saqshy.algorithms.geo import haversine_m


@dataclass(frozen=True)
class Cell:
    id: str
    lat: float
    lon: float


@dataclass(frozen=True)
class PatrolSlot:
    """``units`` patrol during ``minutes`` from ``start_minute``; ``risk`` scores cells."""

    start_minute: int
    minutes: int
    units: tuple[str, ...]
    risk: Mapping[str, float]


@dataclass(frozen=True)
class PatrolRules:
    min_stop: int = 10
    max_stop: int = 15
    speed_kmh: float = 30.0
    detour: float = 1.3  # road distance over straight-line distance
    temperature: float = 0.5  # randomness of the tour, as a share of the mean travel time


@dataclass(frozen=True)
class Visit:
    unit: str
    cell: str
    arrive_minute: int
    depart_minute: int

    @property
    def stop_minutes(self) -> int:
        return self.depart_minute - self.arrive_minute


@dataclass(frozen=True)
class SlotPlan:
    start_minute: int
    minutes: int
    quotas: Mapping[str, float]  # exact proportional share of the stops per cell
    allocation: Mapping[str, int]  # stops per cell (a quota rounded down or up)
    visits: tuple[Visit, ...]


@dataclass(frozen=True)
class PatrolPlan:
    seed: int
    slots: tuple[SlotPlan, ...] = field(default_factory=tuple)


Travel = Callable[[Cell, Cell], float]


def straight_line_travel(rules: PatrolRules) -> Travel:
    """Minutes between two cells: great-circle distance times ``detour`` at ``speed_kmh``."""

    def minutes(a: Cell, b: Cell) -> float:
        metres = haversine_m(a.lat, a.lon, b.lat, b.lon) * rules.detour
        return metres / (rules.speed_kmh * 1000 / 60)

    return minutes


def largest_remainder(
    total: int, weights: Mapping[str, float]
) -> tuple[dict[str, float], dict[str, int]]:
    """Share ``total`` among keys in proportion to positive ``weights``: the exact quotas and
    the whole numbers (each quota rounded down, the rest to the largest remainders)."""
    positive = {key: w for key, w in weights.items() if w > 0}
    whole = sum(positive.values())
    if not positive or total <= 0:
        return dict.fromkeys(positive, 0.0), dict.fromkeys(positive, 0)
    quotas = {key: total * w / whole for key, w in positive.items()}
    counts = {key: math.floor(q) for key, q in quotas.items()}
    order = sorted(positive, key=lambda k: (-(quotas[k] - counts[k]), -positive[k], k))
    for key in order[: total - sum(counts.values())]:
        counts[key] += 1
    return quotas, counts


def plan_patrols(
    cells: Sequence[Cell],
    slots: Sequence[PatrolSlot],
    *,
    seed: int,
    rules: PatrolRules | None = None,
    travel: Travel | None = None,
) -> PatrolPlan:
    """The patrol plan for one night (see the module docstring)."""
    rules = rules or PatrolRules()
    if not 0 < rules.min_stop <= rules.max_stop:
        raise ValueError("stops need 0 < min_stop <= max_stop")
    travel = travel or straight_line_travel(rules)
    by_id = {cell.id: cell for cell in cells}
    plans = []
    positions: dict[str, tuple[str, int]] = {}  # unit -> (last cell, minute it left it)
    for number, slot in enumerate(slots):
        risk = {key: score for key, score in slot.risk.items() if key in by_id and score > 0}
        rng_label = f"{seed}:{number}"
        if not slot.units or not risk or slot.minutes < rules.min_stop:
            plans.append(SlotPlan(slot.start_minute, slot.minutes, {}, {}, ()))
            continue
        stops = len(slot.units) * (slot.minutes // rules.min_stop)
        while True:
            quotas, allocation = largest_remainder(stops, risk)
            visits, longest = _tours(by_id, slot, allocation, rules, travel, rng_label, positions)
            if longest <= slot.minutes or stops <= 1:
                break
            shrink = math.floor(stops * slot.minutes / longest)
            stops = min(stops - 1, max(1, shrink))
        if longest > slot.minutes:
            quotas, allocation, visits = dict.fromkeys(risk, 0.0), dict.fromkeys(risk, 0), ()
        plans.append(SlotPlan(slot.start_minute, slot.minutes, quotas, allocation, visits))
        for visit in visits:  # sorted by unit and arrival: the last one per unit wins
            positions[visit.unit] = (visit.cell, visit.depart_minute)
    return PatrolPlan(seed, tuple(plans))


def _tours(
    cells: Mapping[str, Cell],
    slot: PatrolSlot,
    allocation: Mapping[str, int],
    rules: PatrolRules,
    travel: Travel,
    label: str,
    positions: Mapping[str, tuple[str, int]] | None = None,
) -> tuple[tuple[Visit, ...], int]:
    """Each unit's visits and the longest tour in minutes (from the slot start). A unit with a
    position (its last cell and the minute it left it) walks or drives from there."""
    positions = positions or {}
    rng = random.Random(label)
    stops = [key for key in sorted(allocation) for _ in range(allocation[key])]
    lat = sum(cells[k].lat for k in stops) / len(stops)
    lon = sum(cells[k].lon for k in stops) / len(stops)
    offset = rng.uniform(0, 2 * math.pi)

    def angle(key: str) -> float:
        raw = math.atan2(cells[key].lat - lat, (cells[key].lon - lon) * math.cos(math.radians(lat)))
        return (raw - offset) % (2 * math.pi)

    rng.shuffle(stops)  # ties in the sweep fall in a random order
    stops.sort(key=angle)
    units = list(slot.units)
    rng.shuffle(units)
    base, extra = divmod(len(stops), len(units))
    groups: list[list[str]] = []
    cursor = 0
    for n in range(len(units)):
        take = base + (1 if n < extra else 0)
        groups.append(stops[cursor : cursor + take])
        cursor += take
    visits: list[Visit] = []
    longest = 0
    for unit, own in _match(units, groups, cells, travel, positions):
        if not own:
            continue
        clock = slot.start_minute
        start = positions.get(unit)
        order = _random_tour(
            own, cells, travel, rules.temperature, rng, start[0] if start else None
        )
        previous: str | None = None
        for key in order:
            if previous is not None:
                clock += math.ceil(travel(cells[previous], cells[key]))
            elif start is not None:
                reach = start[1] + math.ceil(travel(cells[start[0]], cells[key]))
                clock = max(clock, reach)
            stop = rng.randint(rules.min_stop, rules.max_stop)
            visits.append(Visit(unit, key, clock, clock + stop))
            clock += stop
            previous = key
        longest = max(longest, clock - slot.start_minute)
    visits.sort(key=lambda v: (v.unit, v.arrive_minute))
    return tuple(visits), longest


def _match(
    units: list[str],
    groups: list[list[str]],
    cells: Mapping[str, Cell],
    travel: Travel,
    positions: Mapping[str, tuple[str, int]],
) -> list[tuple[str, list[str]]]:
    """Units paired with the areas (groups of stops) nearest to where they stand: the closest
    (unit, area) pair first, then the next among the rest. Units without a position yet take
    the areas left, in the (random) order given."""
    placed = [u for u in units if u in positions]
    pairs = sorted(
        (
            min(travel(cells[positions[unit][0]], cells[key]) for key in group),
            u,
            g,
        )
        for u, unit in enumerate(units)
        if unit in positions
        for g, group in enumerate(groups)
        if group
    )
    taken_units: set[int] = set()
    taken_groups: set[int] = set()
    matched: list[tuple[str, list[str]]] = []
    for _minutes, u, g in pairs:
        if u in taken_units or g in taken_groups or len(taken_units) == len(placed):
            continue
        taken_units.add(u)
        taken_groups.add(g)
        matched.append((units[u], groups[g]))
    rest = [g for g in range(len(groups)) if g not in taken_groups]
    free = [u for u in range(len(units)) if u not in taken_units]
    matched += [(units[u], groups[g]) for u, g in zip(free, rest, strict=False)]
    return matched


def _random_tour(
    stops: list[str],
    cells: Mapping[str, Cell],
    travel: Travel,
    temperature: float,
    rng: random.Random,
    start: str | None = None,
) -> list[str]:
    """A random order of ``stops``; from ``start`` (the unit's last cell) when given."""
    left = list(stops)
    distinct = sorted(set(stops) | ({start} if start else set()))
    pairs = [travel(cells[a], cells[b]) for a in distinct for b in distinct if a != b]
    scale = max(1e-6, temperature * (sum(pairs) / len(pairs) if pairs else 1.0))
    order: list[str] = []
    if start is None:
        current = left.pop(rng.randrange(len(left)))
        order.append(current)
    else:
        current = start
    while left:
        # Prefer another cell over staying: a repeat visit right away is no new stop.
        options = [i for i, key in enumerate(left) if key != current] or list(range(len(left)))
        minutes = [travel(cells[current], cells[left[i]]) for i in options]
        nearest = min(minutes)
        weights = [math.exp(-(m - nearest) / scale) for m in minutes]
        pick = rng.choices(options, weights=weights)[0]
        current = left.pop(pick)
        order.append(current)
    return order
