"""Inspection risk score: monotonic in every factor, additive, reproducible ranking."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saqshy.algorithms.osm.classify import FACILITY_KINDS
from saqshy.algorithms.risk import (
    DEFAULT_WEIGHTS,
    FACTOR_CODES,
    OTHER_KIND,
    SEVERITIES,
    Factor,
    RiskScore,
    RiskWeights,
    VenueRisk,
    rank,
    score,
    urgency_points,
)

KINDS = (*FACILITY_KINDS, OTHER_KIND, "not_a_kind")

counts = st.integers(min_value=0, max_value=60)
days = st.integers(min_value=0, max_value=2000)
severity_counts = st.dictionaries(st.sampled_from(SEVERITIES), counts)
tri_state = st.sampled_from([True, None, False])
points = st.floats(min_value=0, max_value=50, allow_nan=False, allow_infinity=False)


@st.composite
def venues(draw: st.DrawFn, venue_id: st.SearchStrategy[int] | None = None) -> VenueRisk:
    events = draw(counts)
    ids = st.integers(min_value=1, max_value=10**6) if venue_id is None else venue_id
    return VenueRisk(
        venue_id=draw(ids),
        kind=draw(st.sampled_from(KINDS)),
        capacity=draw(st.none() | st.integers(min_value=0, max_value=10**7)),
        storeys=draw(st.none() | st.integers(min_value=0, max_value=60)),
        has_fire_alarm=draw(tri_state),
        has_sprinklers=draw(tri_state),
        children_events_soon=draw(st.integers(min_value=0, max_value=events)),
        events_soon=events,
        days_until_next_event=draw(st.none() | days),
        open_violations=draw(severity_counts),
        past_violations=draw(severity_counts),
        days_since_last_inspection=draw(st.none() | days),
    )


@st.composite
def weights(draw: st.DrawFn) -> RiskWeights:
    """Any valid weights: monotonicity must not depend on the defaults."""
    alarm, sprinklers = draw(points), draw(points)
    stale_cap = draw(points)
    curve_days = sorted(draw(st.sets(st.integers(1, 365), max_size=5)))
    curve_points = sorted(
        draw(st.lists(points, min_size=len(curve_days) + 1, max_size=len(curve_days) + 1)),
        reverse=True,
    )
    return RiskWeights(
        kind_points={kind: draw(points) for kind in (*FACILITY_KINDS, OTHER_KIND)},
        capacity_points_per_log10=draw(points),
        capacity_unknown_points=draw(points),
        children_event_points=draw(points),
        children_events_cap=draw(st.integers(0, 20)),
        event_points=draw(points),
        events_cap=draw(st.integers(0, 20)),
        next_event_urgency=tuple(zip([0, *curve_days], curve_points, strict=True)),
        open_violation_points={sev: draw(points) for sev in SEVERITIES},
        past_violation_points={sev: draw(points) for sev in SEVERITIES},
        past_violations_cap_points=draw(points),
        points_per_30_days_uninspected=draw(points),
        last_inspection_cap_points=stale_cap,
        never_inspected_points=stale_cap + draw(points),
        no_fire_alarm_points=alarm,
        fire_alarm_unknown_points=draw(st.floats(0, alarm)),
        no_sprinklers_points=sprinklers,
        sprinklers_unknown_points=draw(st.floats(0, sprinklers)),
        storey_points=draw(points),
        storeys_cap_points=draw(points),
        storeys_unknown_points=draw(points),
    )


any_weights = st.just(DEFAULT_WEIGHTS) | weights()


def assert_riskier(base: VenueRisk, riskier: VenueRisk, w: RiskWeights, code: str) -> None:
    """``riskier`` scores at least as high, and only factor ``code`` may differ."""
    low, high = score(base, w), score(riskier, w)
    assert high.total >= low.total
    assert high.factor(code).points >= low.factor(code).points
    for a, b in zip(low.factors, high.factors, strict=True):
        if a.code != code:
            assert a == b


# --- monotonicity: one factor riskier, everything else fixed ---------------------------------


@given(venues(), any_weights, st.integers(0, 10**7), st.integers(0, 10**7))
def test_more_capacity_never_lowers_the_score(venue, w, a, b):
    a, b = sorted((a, b))
    assert_riskier(
        dataclasses.replace(venue, capacity=a),
        dataclasses.replace(venue, capacity=b),
        w,
        "capacity",
    )


@given(venues(), any_weights, counts, counts)
def test_more_childrens_events_never_lower_the_score(venue, w, a, b):
    a, b = sorted((a, b))
    events = max(venue.events_soon, b)
    assert_riskier(
        dataclasses.replace(venue, children_events_soon=a, events_soon=events),
        dataclasses.replace(venue, children_events_soon=b, events_soon=events),
        w,
        "children_events",
    )


@given(venues(), any_weights, counts, counts)
def test_more_events_never_lower_the_score(venue, w, a, b):
    a, b = sorted((a, b))
    children = min(venue.children_events_soon, a)
    assert_riskier(
        dataclasses.replace(venue, events_soon=a, children_events_soon=children),
        dataclasses.replace(venue, events_soon=b, children_events_soon=children),
        w,
        "events",
    )


@given(venues(), any_weights, st.none() | days, days)
def test_a_sooner_next_event_never_lowers_the_score(venue, w, later, sooner):
    """``None`` (nothing scheduled) is the least urgent of all."""
    if later is not None:
        later, sooner = max(later, sooner), min(later, sooner)
    assert_riskier(
        dataclasses.replace(venue, days_until_next_event=later),
        dataclasses.replace(venue, days_until_next_event=sooner),
        w,
        "next_event",
    )


@pytest.mark.parametrize("severity", SEVERITIES)
@given(venue=venues(), w=any_weights, extra=st.integers(1, 30))
def test_more_open_violations_never_lower_the_score(severity, venue, w, extra):
    more = dict(venue.open_violations)
    more[severity] = more.get(severity, 0) + extra
    assert_riskier(venue, dataclasses.replace(venue, open_violations=more), w, "open_violations")


@pytest.mark.parametrize("severity", SEVERITIES)
@given(venue=venues(), w=any_weights, extra=st.integers(1, 30))
def test_more_past_violations_never_lower_the_score(severity, venue, w, extra):
    more = dict(venue.past_violations)
    more[severity] = more.get(severity, 0) + extra
    assert_riskier(venue, dataclasses.replace(venue, past_violations=more), w, "past_violations")


@given(venues(), any_weights, days, st.none() | days)
def test_a_staler_inspection_never_lowers_the_score(venue, w, recent, stale):
    """``None`` (never inspected) is the stalest of all."""
    if stale is not None:
        recent, stale = min(recent, stale), max(recent, stale)
    assert_riskier(
        dataclasses.replace(venue, days_since_last_inspection=recent),
        dataclasses.replace(venue, days_since_last_inspection=stale),
        w,
        "last_inspection",
    )


EQUIPMENT_ORDER = (True, None, False)  # present, unknown, missing: least to most risky


@pytest.mark.parametrize(
    ("field", "code"), [("has_fire_alarm", "no_fire_alarm"), ("has_sprinklers", "no_sprinklers")]
)
@given(venue=venues(), w=any_weights, i=st.integers(0, 2), j=st.integers(0, 2))
def test_missing_equipment_never_lowers_the_score(field, code, venue, w, i, j):
    i, j = sorted((i, j))
    assert_riskier(
        dataclasses.replace(venue, **{field: EQUIPMENT_ORDER[i]}),
        dataclasses.replace(venue, **{field: EQUIPMENT_ORDER[j]}),
        w,
        code,
    )


@given(venues(), any_weights, st.integers(0, 200), st.integers(0, 200))
def test_more_storeys_never_lower_the_score(venue, w, a, b):
    a, b = sorted((a, b))
    assert_riskier(
        dataclasses.replace(venue, storeys=a), dataclasses.replace(venue, storeys=b), w, "storeys"
    )


# --- additivity and explanation --------------------------------------------------------------


@given(venues(), any_weights)
def test_total_is_the_sum_of_the_shown_factors(venue, w):
    result = score(venue, w)
    assert result.venue_id == venue.venue_id
    assert tuple(f.code for f in result.factors) == FACTOR_CODES
    assert result.total == round(sum(f.points for f in result.factors), 6)
    for factor in result.factors:
        assert factor.points >= 0
        assert factor.points == round(factor.points, 3)
        assert factor.label and factor.value
        assert str(factor.points) not in factor.label


def test_hand_computed_example():
    venue = VenueRisk(
        venue_id=7,
        kind="kindergarten",
        capacity=1000,
        storeys=3,
        has_fire_alarm=True,
        has_sprinklers=None,
        children_events_soon=2,
        events_soon=3,
        days_until_next_event=7,
        open_violations={"minor": 2, "major": 1},
        past_violations={"critical": 1},
        days_since_last_inspection=90,
    )
    result = score(venue)
    breakdown = {f.code: (f.value, f.points) for f in result.factors}
    assert breakdown == {
        "kind": ("kindergarten", 30.0),  # kind table
        "capacity": ("1000", 30.0),  # 10 * log10(1000)
        "children_events": ("2", 30.0),  # 2 * 15
        "events": ("3", 9.0),  # 3 * 3
        "next_event": ("7", 26.0),  # breakpoint (7, 26)
        "open_violations": ("major=1, minor=2", 14.0),  # 8 + 2 * 3
        "past_violations": ("critical=1", 5.0),  # 5
        "last_inspection": ("90", 3.0),  # 90 / 30 * 1
        "no_fire_alarm": ("yes", 0.0),
        "no_sprinklers": ("unknown", 4.0),
        "storeys": ("3", 3.0),  # 2 storeys above ground * 1.5
    }
    assert result.total == 154.0


def test_blank_record_scores_the_unknowns():
    result = score(VenueRisk(venue_id=1, kind="mall"))
    breakdown = {f.code: (f.value, f.points) for f in result.factors}
    assert breakdown["capacity"] == ("unknown", 20.0)
    assert breakdown["next_event"] == ("none", 0.0)
    assert breakdown["open_violations"] == ("none", 0.0)
    assert breakdown["last_inspection"] == ("never", 30.0)
    assert breakdown["no_fire_alarm"] == ("unknown", 8.0)
    assert result.total == 20 + 20 + 30 + 8 + 4 + 1.5


def test_caps_and_fallbacks():
    venue = VenueRisk(
        venue_id=1,
        kind="spaceport",
        capacity=0,
        storeys=100,
        children_events_soon=50,
        events_soon=50,
        past_violations={"critical": 100},
        days_since_last_inspection=10_000,
    )
    points = {f.code: f.points for f in score(venue).factors}
    assert points["kind"] == DEFAULT_WEIGHTS.kind_points[OTHER_KIND]
    assert score(venue).factor("kind").value == "spaceport"
    assert points["capacity"] == 0.0
    assert points["storeys"] == 15.0
    assert points["children_events"] == 60.0
    assert points["events"] == 30.0
    assert points["past_violations"] == 20.0
    assert points["last_inspection"] == 24.0


def test_urgency_curve_interpolates_between_breakpoints():
    curve = DEFAULT_WEIGHTS.next_event_urgency
    assert urgency_points(None, curve) == 0.0
    assert urgency_points(0, curve) == 40.0
    assert urgency_points(5, curve) == 30.0  # halfway between (3, 34) and (7, 26)
    assert urgency_points(45, curve) == 3.0
    assert urgency_points(60, curve) == 0.0
    assert urgency_points(365, curve) == 0.0


def test_every_facility_kind_has_base_points():
    assert set(FACILITY_KINDS) <= set(DEFAULT_WEIGHTS.kind_points)
    table = DEFAULT_WEIGHTS.kind_points
    assert table["kindergarten"] >= table["school"] >= table["mall"] > table[OTHER_KIND]
    assert table["hospital"] >= table["stadium"] > table["fire_station"]


# --- ranking ---------------------------------------------------------------------------------

unique_venues = st.lists(
    venues(venue_id=st.integers(1, 500)), max_size=25, unique_by=lambda v: v.venue_id
)


@given(unique_venues, any_weights, st.randoms(use_true_random=False))
def test_rank_is_a_sorted_reproducible_permutation(items, w, rnd):
    ranked = rank(items, w)
    assert sorted(r.venue_id for r in ranked) == sorted(v.venue_id for v in items)
    by_id = {v.venue_id: v for v in items}
    assert all(r == score(by_id[r.venue_id], w) for r in ranked)
    keys = [(-r.total, r.venue_id) for r in ranked]
    assert keys == sorted(keys)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert rank(shuffled, w) == ranked
    assert rank(iter(items), w) == ranked


def test_rank_breaks_ties_by_venue_id():
    twins = [VenueRisk(venue_id=i, kind="school", capacity=300) for i in (9, 2, 5)]
    riskier = VenueRisk(venue_id=7, kind="kindergarten", capacity=300)
    ranked = rank([*twins, riskier])
    assert [r.venue_id for r in ranked] == [7, 2, 5, 9]
    assert ranked[1].total == ranked[2].total == ranked[3].total


def test_rank_rejects_duplicate_venue_ids():
    with pytest.raises(ValueError, match="venue_id 3"):
        rank([VenueRisk(venue_id=3, kind="mall"), VenueRisk(venue_id=3, kind="school")])


def test_rank_of_nothing_is_empty():
    assert rank([]) == []


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        "capacity",
        "storeys",
        "children_events_soon",
        "events_soon",
        "days_until_next_event",
        "days_since_last_inspection",
    ],
)
def test_negative_numbers_are_rejected_naming_the_field(field):
    with pytest.raises(ValueError, match=field):
        VenueRisk(venue_id=1, kind="school", **{field: -1})


@pytest.mark.parametrize("field", ["open_violations", "past_violations"])
def test_bad_violation_counts_are_rejected_naming_the_field(field):
    with pytest.raises(ValueError, match=field):
        VenueRisk(venue_id=1, kind="school", **{field: {"major": -1}})
    with pytest.raises(ValueError, match=field):
        VenueRisk(venue_id=1, kind="school", **{field: {"catastrophic": 1}})


def test_more_childrens_events_than_events_is_rejected():
    with pytest.raises(ValueError, match="children_events_soon"):
        VenueRisk(venue_id=1, kind="school", children_events_soon=2, events_soon=1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"event_points": -1.0}, "event_points"),
        ({"capacity_points_per_log10": math.nan}, "capacity_points_per_log10"),
        ({"kind_points": {"school": 1.0}}, "other"),
        ({"kind_points": {"other": 1.0, "school": -1.0}}, "school"),
        ({"open_violation_points": {"minor": 1.0}}, "open_violation_points"),
        ({"past_violation_points": {"minor": 1, "major": 1, "critical": -1}}, "critical"),
        ({"never_inspected_points": 1.0}, "never_inspected_points"),
        ({"fire_alarm_unknown_points": 99.0}, "fire_alarm_unknown_points"),
        ({"sprinklers_unknown_points": 99.0}, "sprinklers_unknown_points"),
        ({"next_event_urgency": ()}, "next_event_urgency"),
        ({"next_event_urgency": ((1, 5.0),)}, "day 0"),
        ({"next_event_urgency": ((0, 5.0), (0, 4.0))}, "increasing"),
        ({"next_event_urgency": ((0, 5.0), (3, 6.0))}, "non-increasing"),
        ({"next_event_urgency": ((0, -5.0),)}, "next_event_urgency"),
    ],
)
def test_weights_that_would_break_monotonicity_are_rejected(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(DEFAULT_WEIGHTS, **changes)


def test_score_rejects_an_inconsistent_total():
    factor = Factor(code="kind", label="Facility kind", value="school", points=25.0)
    with pytest.raises(ValueError, match="total"):
        RiskScore(venue_id=1, total=26.0, factors=(factor,))


def test_records_are_frozen_and_detached_from_caller_dicts():
    counts = {"major": 1}
    venue = VenueRisk(venue_id=1, kind="school", open_violations=counts)
    counts["major"] = 50
    assert venue.open_violations == {"major": 1}
    with pytest.raises(dataclasses.FrozenInstanceError):
        venue.capacity = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        venue.open_violations["major"] = 2
    kinds = {"other": 1.0}
    w = RiskWeights(kind_points=kinds)
    kinds["other"] = 99.0
    assert w.kind_points["other"] == 1.0
