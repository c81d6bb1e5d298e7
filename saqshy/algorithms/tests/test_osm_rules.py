"""Kind classification, capacity parsing/estimation and footprint attachment."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point, Polygon

from saqshy.algorithms.osm import (
    FACILITY_KINDS,
    LOAD_FACTORS,
    BuildingRecord,
    FacilityRecord,
    attach_footprints,
    classify,
    estimate_capacity,
    facility_record,
    geodesic_area_m2,
    geojson_of,
    parse_capacity,
)
from saqshy.algorithms.osm.capacity import (
    FT2_TO_M2,
    NET_TO_GROSS,
    parse_levels,
    resolve_capacity,
    storeys_for,
)


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"amenity": "school"}, "school"),
        ({"amenity": "college", "name": "Колледж"}, "university"),
        ({"amenity": "doctors"}, "clinic"),
        ({"amenity": "police"}, "police_station"),
        ({"shop": "department_store"}, "mall"),
        ({"leisure": "ice_rink", "name": "Алау"}, "sports_centre"),
        ({"leisure": "ice_rink"}, None),
        ({"amenity": "concert_hall"}, "theatre_cinema"),
        ({"public_transport": "station"}, "station"),
        ({"railway": "halt"}, "station"),
        ({"aeroway": "aerodrome"}, "airport"),
        ({"power": "generator", "name": "ТЭЦ №2"}, "heating_plant"),
        ({"power": "plant", "plant:output:hot_water": "yes"}, "heating_plant"),
        ({"power": "plant", "name": "Экибастузская ГРЭС-1"}, "energy_site"),
        ({"power": "substation", "name:ru": "ПС Левобережная"}, "energy_site"),
        ({"power": "substation"}, None),
        ({"man_made": "wastewater_plant"}, "water_utility"),
        ({"amenity": "cafe", "name": "Кофе"}, None),
        ({"highway": "primary"}, None),
    ],
)
def test_classify(tags: dict[str, str], kind: str | None) -> None:
    assert classify(tags) == kind


def test_every_kind_has_a_load_factor() -> None:
    assert set(FACILITY_KINDS) == set(LOAD_FACTORS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("500", 500),
        (" 1 200 ", 1200),
        ("30,000", 30000),
        ("0", None),
        ("~300", None),
        ("200-300", None),
        ("many", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_capacity(value: str | None, expected: int | None) -> None:
    assert parse_capacity(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("5", 5), ("2.5", 3), ("9;5", 9), ("0", None), ("x", None)]
)
def test_parse_levels(value: str, expected: int | None) -> None:
    assert parse_levels(value) == expected


def _square(lon: float, lat: float, side_m: float) -> Polygon:
    """A square of ``side_m`` metres with its south-west corner at (lon, lat)."""
    geod = Geod(ellps="WGS84")
    east_lon, _, _ = geod.fwd(lon, lat, 90, side_m)
    _, north_lat, _ = geod.fwd(lon, lat, 0, side_m)
    return Polygon([(lon, lat), (east_lon, lat), (east_lon, north_lat), (lon, north_lat)])


def test_geodesic_area_of_a_hectare_in_astana() -> None:
    assert math.isclose(geodesic_area_m2(_square(71.43, 51.128, 100)), 10_000, rel_tol=0.002)
    assert geodesic_area_m2(Point(71.43, 51.128)) == 0.0


def test_school_estimate_uses_classroom_factor_on_net_area() -> None:
    per_person = LOAD_FACTORS["school"].m2_per_person
    assert per_person == pytest.approx(20 * FT2_TO_M2 / NET_TO_GROSS)
    assert estimate_capacity("school", 1858.0) == int(1858.0 / per_person)
    assert estimate_capacity("school", 0.0) is None
    assert estimate_capacity("unknown-kind", 100.0) is None


@given(a=st.floats(1, 1e6), b=st.floats(1, 1e6), kind=st.sampled_from(sorted(LOAD_FACTORS)))
def test_estimate_is_monotonic_in_area(a: float, b: float, kind: str) -> None:
    low, high = sorted((a, b))
    assert (estimate_capacity(kind, low) or 0) <= (estimate_capacity(kind, high) or 0)


def test_storeys_are_capped_and_tenants_count_one_floor() -> None:
    assert storeys_for("school", None) == 3
    assert storeys_for("school", 6) == 4
    assert storeys_for("school", 13, tenant=True) == 1
    assert storeys_for("school", 3, tenant=True) == 3
    assert storeys_for("theatre_cinema", 7) == 1


def test_capacity_tag_wins_over_estimate() -> None:
    assert resolve_capacity("stadium", {"capacity": "30000"}, 5000.0) == (30000, "osm")
    assert resolve_capacity("stadium", {"capacity": "lots"}, 0.0) == (None, "")
    assert resolve_capacity("mall", {}, 557.42) == (100, "estimated")


def test_school_building_polygon_gets_footprint_and_estimate() -> None:
    outline = _square(71.43, 51.128, 50)
    tags = {"amenity": "school", "building": "school", "building:levels": "2", "name": "№ 7"}
    record = facility_record("way/1", "school", tags, outline)
    assert record.footprint is not None and record.footprint["type"] == "Polygon"
    assert Polygon(record.footprint["coordinates"][0]).contains(Point(record.lon, record.lat))
    assert record.capacity_source == "estimated"
    assert record.capacity == int(2500 * 2 / LOAD_FACTORS["school"].m2_per_person)
    assert record.storeys == 2


def test_point_without_building_has_no_capacity() -> None:
    record = facility_record("node/1", "police_station", {"amenity": "police"}, Point(71, 51))
    assert (record.capacity, record.capacity_source, record.footprint) == (None, "", None)


def test_attach_footprints_only_to_a_lone_point_in_a_plain_building() -> None:
    shared = _square(71.40, 51.10, 40)
    lone = _square(71.41, 51.10, 40)
    own = _square(71.42, 51.10, 40)
    buildings = [
        BuildingRecord("way/10", geojson_of(shared), 4),
        BuildingRecord("way/11", geojson_of(lone), None),
        BuildingRecord("way/12", geojson_of(own), None),
    ]

    def point_in(poly: Polygon, ref: str, kind: str, amenity: str) -> FacilityRecord:
        return facility_record(ref, kind, {"amenity": amenity}, poly.centroid)

    facilities = [
        point_in(shared, "node/1", "police_station", "police"),
        point_in(shared, "node/2", "clinic", "clinic"),
        point_in(lone, "node/3", "police_station", "police"),
        facility_record("way/12", "clinic", {"amenity": "clinic", "building": "yes"}, own),
        point_in(own, "node/4", "police_station", "police"),
    ]
    result = attach_footprints(facilities, buildings)
    by_ref = {f.osm_ref: f for f in result}
    assert by_ref["node/1"].footprint is None
    assert by_ref["node/2"].footprint is None
    assert by_ref["node/3"].footprint == buildings[1].geometry
    assert by_ref["node/3"].capacity_source == "estimated"
    assert by_ref["node/4"].footprint is None
    assert attach_footprints(result, buildings) == result


def test_addresses_places_and_names_are_assembled() -> None:
    from saqshy.algorithms.osm.assemble import assemble, road_record
    from saqshy.algorithms.osm.layers import basemap_features
    from saqshy.algorithms.osm.model import RawFeature

    square = Polygon([(71.40, 51.10), (71.4003, 51.10), (71.4003, 51.1002), (71.40, 51.1002)])
    features = [
        RawFeature(
            "way/1",
            {"building": "yes", "addr:street": "улица Абая", "addr:housenumber": "53А"},
            square,
        ),
        RawFeature(
            "node/2", {"addr:street": "улица Абая", "addr:housenumber": "55"}, Point(71.41, 51.1)
        ),
        RawFeature(
            "node/3", {"place": "suburb", "name": "Самал", "name:kk": "Самал"}, Point(71.42, 51.1)
        ),
        RawFeature("node/4", {"place": "suburb"}, Point(71.43, 51.1)),
    ]
    road = road_record(
        9,
        {"highway": "primary", "name": "улица Абая", "name:en": "Abay St"},
        [(71.40, 51.10), (71.41, 51.10)],
    )
    extract = assemble(features, [road], "test")
    assert (extract.buildings[0].street, extract.buildings[0].housenumber) == ("улица Абая", "53А")
    assert [(a.street, a.housenumber) for a in extract.addresses] == [("улица Абая", "55")]
    assert [(p.kind, p.name, p.names) for p in extract.places] == [
        ("suburb", "Самал", {"kk": "Самал"})
    ]
    by_layer = {f["properties"]["layer"]: f["properties"] for f in basemap_features(extract)}
    assert by_layer["building"]["housenumber"] == "53А"
    assert by_layer["road"]["name:en"] == "Abay St" and "name:kk" not in by_layer["road"]
    assert by_layer["place"]["name:kk"] == "Самал"
    assert by_layer["address"] == {"layer": "address", "street": "улица Абая", "housenumber": "55"}
