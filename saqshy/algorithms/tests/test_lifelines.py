"""The heating curve, service areas and the people estimate (pure, property-based)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from saqshy.algorithms.lifelines import (
    Building,
    HeatingCurve,
    SitePoint,
    people_affected,
    service_areas,
)

temperatures = st.floats(min_value=-60, max_value=40, allow_nan=False)


@given(temperatures, temperatures)
def test_the_curve_never_asks_more_when_it_is_warmer(a: float, b: float) -> None:
    curve = HeatingCurve()
    low, high = sorted((a, b))
    assert curve.supply(high) <= curve.supply(low) + 1e-9


@given(temperatures)
def test_the_curve_is_clamped_between_its_two_points(outdoor: float) -> None:
    curve = HeatingCurve(design_outdoor=-31, design_supply=150, mild_outdoor=8, mild_supply=70)
    assert 70 <= curve.supply(outdoor) <= 150
    assert curve.lowest_allowed(outdoor) == pytest.approx(curve.supply(outdoor) - curve.tolerance)


def test_the_curve_passes_through_its_points() -> None:
    curve = HeatingCurve(design_outdoor=-31, design_supply=150, mild_outdoor=8, mild_supply=70)
    assert curve.supply(-31) == 150
    assert curve.supply(-40) == 150
    assert curve.supply(8) == 70
    assert curve.supply(20) == 70
    assert curve.supply(-11.5) == pytest.approx(110)


def test_a_curve_upside_down_is_refused() -> None:
    with pytest.raises(ValueError, match="mild outdoor"):
        HeatingCurve(design_outdoor=10, mild_outdoor=8)


site_points = st.lists(
    st.tuples(
        st.floats(min_value=51.05, max_value=51.2), st.floats(min_value=71.3, max_value=71.6)
    ),
    min_size=1,
    max_size=8,
    unique=True,
)


def _metres(lat: float) -> tuple[float, float]:
    return 111_320 * math.cos(math.radians(lat)), 110_574


@settings(max_examples=40, deadline=None)
@given(site_points)
def test_each_area_holds_its_site_stays_in_the_radius_and_cells_do_not_overlap(points) -> None:
    sites = [SitePoint(i, "boiler_house", lat, lon) for i, (lat, lon) in enumerate(points)]
    radius = 2000.0
    areas = {key: shape(area) for key, area in service_areas(sites, radius_m=radius).items()}
    assert set(areas) == {site.key for site in sites}
    for site in sites:
        area = areas[site.key]
        assert area.buffer(1e-6).contains(Point(site.lon, site.lat))
        kx, ky = _metres(site.lat)
        west, south, east, north = area.bounds
        assert (east - west) * kx <= 2 * radius * 1.01
        assert (north - south) * ky <= 2 * radius * 1.01
    keys = list(areas)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            # Neighbours share an edge; coordinates rounded to 6 decimals (~0.1 m) leave slivers.
            smaller = min(areas[a].area, areas[b].area)
            assert areas[a].intersection(areas[b]).area <= 1e-4 * smaller


def test_sites_of_other_kinds_do_not_split_an_area() -> None:
    boiler = SitePoint("b", "boiler_house", 51.1, 71.4)
    alone = service_areas([boiler], radius_m=1000)["b"]
    with_substation = service_areas(
        [boiler, SitePoint("s", "substation", 51.101, 71.401)], radius_m=1000
    )["b"]
    assert shape(alone).area == pytest.approx(shape(with_substation).area, rel=1e-4)


def test_no_sites_no_areas_and_the_radius_must_be_positive() -> None:
    assert service_areas([], radius_m=100) == {}
    with pytest.raises(ValueError):
        service_areas([SitePoint(1, "x", 51, 71)], radius_m=0)


buildings = st.lists(
    st.builds(
        Building,
        st.floats(min_value=0, max_value=20_000),
        st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
    ),
    max_size=30,
)


@given(buildings, buildings)
def test_more_buildings_never_mean_fewer_people(first, more) -> None:
    assert people_affected(first + more, floor_m2_per_person=30) >= people_affected(
        first, floor_m2_per_person=30
    )


def test_people_from_floor_area() -> None:
    # 1,000 m² × 9 levels + 300 m² × one level (levels unknown) at 30 m² a person.
    homes = [Building(1000, 9), Building(300, None)]
    assert people_affected(homes, floor_m2_per_person=30) == 310
    assert people_affected([], floor_m2_per_person=30) == 0
    with pytest.raises(ValueError):
        people_affected(homes, floor_m2_per_person=0)
