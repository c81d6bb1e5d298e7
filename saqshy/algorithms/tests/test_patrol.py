from __future__ import annotations

import itertools
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from saqshy.algorithms.geo import haversine_m
from saqshy.algorithms.optimise import (
    Cell,
    PatrolRules,
    PatrolSlot,
    largest_remainder,
    plan_patrols,
)


def _city(n: int = 12, seed: int = 3, span: float = 1.0) -> list[Cell]:
    rng = random.Random(seed)
    return [
        Cell(f"c{i}", 51.10 + rng.uniform(0, 0.08 * span), 71.38 + rng.uniform(0, 0.12 * span))
        for i in range(n)
    ]


def _slots(cells: list[Cell]) -> list[PatrolSlot]:
    rng = random.Random(5)
    return [
        PatrolSlot(
            start * 60,
            120,
            tuple(f"crew-{u}" for u in range(units)),
            {cell.id: rng.choice([0.0, 0.5, 1.0, 3.0, 8.0]) for cell in cells},
        )
        for start, units in ((22, 3), (24, 4), (26, 2))
    ]


def test_visits_follow_risk_within_rounding_and_stops_last_10_to_15_minutes() -> None:
    cells = _city()
    slots = _slots(cells)
    plan = plan_patrols(cells, slots, seed=2026)
    for slot, slot_plan in zip(slots, plan.slots, strict=True):
        stops = sum(slot_plan.allocation.values())
        assert stops > 0
        total_risk = sum(r for r in slot.risk.values() if r > 0)
        for cell, count in slot_plan.allocation.items():
            quota = stops * slot.risk[cell] / total_risk
            assert abs(count - quota) < 1
            assert slot_plan.quotas[cell] == quota
        assert Counter(v.cell for v in slot_plan.visits) == +Counter(slot_plan.allocation)
        assert all(slot.risk.get(v.cell, 0) > 0 for v in slot_plan.visits)
        end = slot.start_minute + slot.minutes
        for unit in slot.units:
            own = sorted(
                (v for v in slot_plan.visits if v.unit == unit), key=lambda v: v.arrive_minute
            )
            assert all(10 <= v.stop_minutes <= 15 for v in own)
            assert all(a.depart_minute <= b.arrive_minute for a, b in itertools.pairwise(own))
            assert all(slot.start_minute <= v.arrive_minute and v.depart_minute <= end for v in own)
        counts = Counter(v.unit for v in slot_plan.visits)
        assert max(counts.values()) - min(counts.values()) <= 1  # work is shared evenly


def test_same_seed_same_plan_other_night_other_order() -> None:
    cells = _city()
    slots = _slots(cells)
    tonight = plan_patrols(cells, slots, seed=11)
    assert plan_patrols(cells, slots, seed=11) == tonight
    tomorrow = plan_patrols(cells, slots, seed=12)

    def orders(plan):
        return [[(v.unit, v.cell) for v in slot.visits] for slot in plan.slots]

    assert orders(tomorrow) != orders(tonight)
    # Not just one swap: most crews' first stops differ over a run of nights.
    firsts = {
        tuple(slot.visits[0].cell for slot in plan_patrols(cells, slots, seed=night).slots)
        for night in range(20)
    }
    assert len(firsts) >= 15


def test_tours_shrink_to_fit_the_slot_and_empty_slots_stay_empty() -> None:
    far = [Cell("a", 51.0, 71.0), Cell("b", 51.5, 71.5)]  # ~65 km apart
    slot = PatrolSlot(0, 60, ("crew",), {"a": 1.0, "b": 1.0})
    plan = plan_patrols(far, [slot, PatrolSlot(60, 60, (), {"a": 1.0})], seed=1)
    visits = plan.slots[0].visits
    # 85 km by road at 30 km/h: a second stop can never fit in the hour.
    assert len(visits) == 1 and visits[0].depart_minute <= 60
    assert plan.slots[1].visits == () and plan.slots[1].allocation == {}
    fast = plan_patrols(far, [slot], seed=1, rules=PatrolRules(speed_kmh=100_000)).slots[0]
    assert sum(fast.allocation.values()) >= 60 // (15 + 1)
    assert abs(fast.allocation["a"] - fast.allocation["b"]) <= 1


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 500),
    st.dictionaries(st.text(min_size=1, max_size=3), st.floats(0, 100), max_size=12),
)
def test_largest_remainder_is_exact_and_within_one(total: int, weights: dict[str, float]) -> None:
    quotas, counts = largest_remainder(total, weights)
    positive = {k for k, w in weights.items() if w > 0}
    assert set(counts) == positive
    if positive:
        assert sum(counts.values()) == total
    assert all(abs(counts[k] - quotas[k]) < 1 for k in positive)


WALK = PatrolRules(speed_kmh=4.5)  # the foot-patrol pace norm (NORMS.md: 1.2-1.4 m/s)


def _legs(plan):
    """Every unit's consecutive visits over the whole night, across slots."""
    by_unit: dict[str, list] = {}
    for slot in plan.slots:
        for visit in slot.visits:
            by_unit.setdefault(visit.unit, []).append(visit)
    for visits in by_unit.values():
        visits.sort(key=lambda v: v.arrive_minute)
        yield from itertools.pairwise(visits)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 14),
    st.integers(0, 10_000),
    st.lists(st.tuples(st.integers(15, 120), st.integers(1, 3)), min_size=1, max_size=5),
    st.integers(0, 2**31),
)
def test_no_foot_leg_is_faster_than_the_walking_norm(
    n_cells: int, city_seed: int, shape: list[tuple[int, int]], seed: int
) -> None:
    cells = _city(n_cells, city_seed)  # a ~9 x 8 km city: far more than an hour's walk across
    rng = random.Random(city_seed)
    slots, start = [], 0
    for minutes, units in shape:
        risk = {cell.id: rng.choice([0.0, 1.0, 2.0, 5.0]) for cell in cells}
        slots.append(PatrolSlot(start, minutes, tuple(f"foot-{u}" for u in range(units)), risk))
        start += minutes
    plan = plan_patrols(cells, slots, seed=seed, rules=WALK)
    at = {cell.id: cell for cell in cells}
    metres_per_minute = WALK.speed_kmh * 1000 / 60
    for a, b in _legs(plan):
        metres = haversine_m(at[a.cell].lat, at[a.cell].lon, at[b.cell].lat, at[b.cell].lon)
        metres *= WALK.detour
        assert b.arrive_minute >= a.depart_minute
        assert metres <= metres_per_minute * (b.arrive_minute - a.depart_minute) + 1e-6
    for slot, slot_plan in zip(slots, plan.slots, strict=True):
        end = slot.start_minute + slot.minutes
        assert all(
            slot.start_minute <= v.arrive_minute and v.depart_minute <= end
            for v in slot_plan.visits
        )


def test_a_walking_crew_keeps_walking_from_where_it_stopped_between_slots() -> None:
    cells = _city(20, 7, span=0.2)  # a 1.8 x 1.7 km beat
    slots = [
        PatrolSlot(h * 60, 60, ("foot-1", "foot-2"), {c.id: 1.0 for c in cells}) for h in range(6)
    ]
    plan = plan_patrols(cells, slots, seed=3, rules=WALK)
    legs = list(_legs(plan))
    assert sum(len(s.visits) for s in plan.slots) >= 2 * 6 * 2  # two stops an hour each, or more
    crossings = [(a, b) for a, b in legs if a.arrive_minute // 60 != b.arrive_minute // 60]
    assert crossings  # the night continues across slots, each leg walkable (above)
