"""Tests for the offline basemap: tile math and the vector-tile (MVT/PMTiles) encoder."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import mapbox_vector_tile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pmtiles.reader import MemorySource, Reader

from saqshy.algorithms.basemap import (
    MAX_DATA_ZOOM,
    VectorBasemap,
    iter_geojson_features,
    lonlat_to_mercator,
    lonlat_to_tile,
    merge_tiles,
    tile_bounds,
    write_pmtiles,
)
from saqshy.algorithms.basemap.tilemath import ORIGIN_SHIFT_M, tile_size_m

# Central Astana: a residential street with names in three languages, a primary avenue, an
# addressed building beside them, a lake and a named district.
LON, LAT = 71.4300, 51.1280


def _feature(layer: str, gtype: str, coords: Any, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"layer": layer, **props},
        "geometry": {"type": gtype, "coordinates": coords},
    }


def _box(lon: float, lat: float, d: float) -> list[Any]:
    return [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]


FEATURES = [
    _feature(
        "road",
        "LineString",
        [[LON - 0.004, LAT], [LON + 0.004, LAT]],
        highway="residential",
        name="Кенесары көшесі",
        **{"name:kk": "Кенесары көшесі", "name:ru": "улица Кенесары", "name:en": "Kenesary St"},
    ),
    _feature(
        "road",
        "LineString",
        [[LON, LAT - 0.004], [LON, LAT + 0.004]],
        highway="primary",
        name="Қабанбай батыр даңғылы",
    ),
    _feature("road", "LineString", [[LON, LAT], [LON + 0.001, LAT]], highway="construction"),
    _feature(
        "building",
        "Polygon",
        _box(LON + 0.0005, LAT + 0.0003, 0.0004),
        housenumber="53",
        street="Кенесары көшесі",
    ),
    _feature("building", "Polygon", _box(LON - 0.001, LAT + 0.0003, 0.0004)),
    _feature("address", "Point", [LON - 0.002, LAT - 0.0005], housenumber="7А", street="X"),
    _feature("water", "Polygon", _box(LON + 0.01, LAT + 0.01, 0.02), kind="lake", name="Көл"),
    _feature(
        "place",
        "Point",
        [LON + 0.002, LAT + 0.002],
        kind="suburb",
        name="Есіл",
        **{"name:ru": "Есиль", "name:en": "Yesil"},
    ),
]


def _decode(basemap: VectorBasemap, z: int, lon: float = LON, lat: float = LAT) -> dict[str, Any]:
    x, y = lonlat_to_tile(lon, lat, z)
    data = basemap.encode_tile(z, x, y)
    assert data is not None, f"tile {z}/{x}/{y} is empty"
    return mapbox_vector_tile.decode(data)


def _props(tile: dict[str, Any], layer: str) -> list[dict[str, Any]]:
    return [f["properties"] for f in tile.get(layer, {}).get("features", [])]


def test_street_names_in_every_language_from_street_zoom_and_not_before() -> None:
    basemap = VectorBasemap.from_features(FEATURES)
    street = _props(_decode(basemap, 14), "roads")
    residential = [p for p in street if p["kind"] == "residential"]
    assert residential == [
        {
            "kind": "residential",
            "rank": 4,
            "name": "Кенесары көшесі",
            "name:kk": "Кенесары көшесі",
            "name:ru": "улица Кенесары",
            "name:en": "Kenesary St",
        }
    ]
    early = _props(_decode(basemap, 12), "roads")
    assert [p for p in early if p["kind"] == "residential"] == [{"kind": "residential", "rank": 4}]
    assert {"kind": "primary", "rank": 1, "name": "Қабанбай батыр даңғылы"} in early
    assert [p["kind"] for p in _props(_decode(basemap, 9), "roads")] == ["primary"]
    assert "construction" not in {p["kind"] for p in _props(_decode(basemap, 15), "roads")}


def test_house_numbers_only_at_building_zoom() -> None:
    basemap = VectorBasemap.from_features(FEATURES)
    deepest = _decode(basemap, MAX_DATA_ZOOM)
    numbers = sorted(p["housenumber"] for p in _props(deepest, "addresses"))
    assert numbers == ["53", "7А"]
    assert {"housenumber": "53", "street": "Кенесары көшесі"} in _props(deepest, "buildings")
    below = _decode(basemap, MAX_DATA_ZOOM - 1)
    assert "addresses" not in below
    assert len(_props(below, "buildings")) == 2
    assert all(p == {} for p in _props(below, "buildings"))
    assert "buildings" not in _decode(basemap, 13)


def test_house_number_point_lies_inside_its_building() -> None:
    basemap = VectorBasemap.from_features(FEATURES)
    tile = _decode(basemap, MAX_DATA_ZOOM)
    buildings = [f for f in tile["buildings"]["features"] if f["properties"]]
    point = next(f for f in tile["addresses"]["features"] if f["properties"]["housenumber"] == "53")
    px, py = point["geometry"]["coordinates"]
    ring = buildings[0]["geometry"]["coordinates"][0]
    xs, ys = [c[0] for c in ring], [c[1] for c in ring]
    assert min(xs) <= px <= max(xs) and min(ys) <= py <= max(ys)


def test_places_carry_their_names_and_kind() -> None:
    tile = _decode(VectorBasemap.from_features(FEATURES), 12)
    assert _props(tile, "places") == [
        {"kind": "suburb", "name": "Есіл", "name:ru": "Есиль", "name:en": "Yesil"}
    ]
    assert _props(tile, "water") == [{"kind": "lake", "name": "Көл"}]


def test_tiles_cover_the_data_within_the_extent_only() -> None:
    basemap = VectorBasemap.from_features(FEATURES)
    extent = (LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05)
    tiles = list(basemap.tiles(extent, range(10, 16)))
    assert {z for z, _, _, _ in tiles} == set(range(10, 16))
    assert (15, *lonlat_to_tile(LON, LAT, 15)) in {(z, x, y) for z, x, y, _ in tiles}
    elsewhere = (LON + 1, LAT + 1, LON + 1.1, LAT + 1.1)
    assert list(basemap.tiles(elsewhere, range(10, 16))) == []


def test_low_zoom_geometry_is_simplified() -> None:
    # a wiggly lake shore: 2,000 vertices a few metres apart
    ring = [[LON + 0.01 * (i / 1000), LAT + 0.00003 * (i % 2)] for i in range(1000)] + [
        [LON + 0.01 - 0.01 * (i / 1000), LAT + 0.005 + 0.00003 * (i % 2)] for i in range(1000)
    ]
    ring.append(ring[0])
    basemap = VectorBasemap.from_features([_feature("water", "Polygon", [ring])])

    def vertices(z: int) -> int:
        geom = _decode(basemap, z, LON + 0.005, LAT + 0.0025)["water"]["features"][0]["geometry"]
        return sum(len(r) for r in geom["coordinates"])

    assert vertices(10) < 20 < 200 < vertices(MAX_DATA_ZOOM)


def test_archive_round_trip_and_merge() -> None:
    basemap = VectorBasemap.from_features(FEATURES)
    extent = (LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05)
    out = io.BytesIO()
    stats = write_pmtiles(out, basemap.tiles(extent), extent=extent, metadata={"v": "x"})
    reader = Reader(MemorySource(out.getvalue()))
    assert reader.metadata()["v"] == "x"
    assert reader.header()["max_zoom"] == MAX_DATA_ZOOM
    x, y = lonlat_to_tile(LON, LAT, 14)
    stored = reader.get(14, x, y)
    assert stored is not None and sum(n for n, _ in stats.values()) > 10
    tile = mapbox_vector_tile.decode(gzip.decompress(stored))
    assert "roads" in tile
    other = mapbox_vector_tile.encode(
        [{"name": "roads", "features": [{"geometry": "POINT(1 1)", "properties": {"x": 2}}]}]
    )
    merged = mapbox_vector_tile.decode(merge_tiles([gzip.decompress(stored), other]))
    assert _props(merged, "roads")[:-1] == _props(tile, "roads")
    assert _props(merged, "roads")[-1] == {"x": 2}


def test_skips_unusable_features() -> None:
    basemap = VectorBasemap.from_features(
        [
            {"type": "Feature", "properties": {"layer": "road"}, "geometry": None},
            _feature("road", "LineString", [[0, 0], [1, 1]], highway="platform"),
            _feature("road", "Point", [0, 0], highway="primary"),
            _feature("building", "Polygon", "garbage"),
            _feature("place", "Point", [0, 0], kind="city"),  # no name
            _feature("road", "LineString", [[0, 0], [1, 1]], highway="secondary"),
        ]
    )
    assert basemap.counts["roads"] == 1
    assert sum(basemap.counts.values()) == 1


def test_iter_geojson_features_reads_plain_and_gzip(tmp_path: Path) -> None:
    doc = {"type": "FeatureCollection", "features": FEATURES[:2]}
    plain = tmp_path / "a.geojson"
    plain.write_text(json.dumps(doc))
    packed = tmp_path / "b.geojson.gz"
    packed.write_bytes(gzip.compress(json.dumps(doc).encode()))
    basemap = VectorBasemap.from_features(iter_geojson_features([plain, packed]))
    assert basemap.counts["roads"] == 4
    assert basemap.extent() is not None


def test_tile_bounds_known_values() -> None:
    o = ORIGIN_SHIFT_M
    assert tile_bounds(0, 0, 0) == pytest.approx((-o, -o, o, o))
    assert tile_bounds(1, 1, 0) == pytest.approx((0.0, 0.0, o, o))
    assert tile_bounds(1, 0, 1) == pytest.approx((-o, -o, 0.0, 0.0))
    assert tile_size_m(16) == pytest.approx(611.4962, abs=1e-3)
    assert o == pytest.approx(20037508.342789244)


def test_lonlat_to_tile_known_values() -> None:
    assert lonlat_to_tile(-0.1278, 51.5074, 10) == (511, 340)  # London
    assert lonlat_to_tile(71.430, 51.128, 12) == (2860, 1368)  # central Astana (OSM QA tile)
    assert lonlat_to_tile(0.0, 0.0, 0) == (0, 0)
    assert lonlat_to_tile(180.0, -90.0, 3) == (0, 7)  # lon wraps, lat clamps


@settings(max_examples=300, deadline=None)
@given(
    lon=st.floats(-180.0, 179.999999, allow_nan=False),
    lat=st.floats(-85.0, 85.0, allow_nan=False),
    z=st.integers(0, 19),
)
def test_tile_of_point_contains_point(lon: float, lat: float, z: int) -> None:
    x, y = lonlat_to_tile(lon, lat, z)
    minx, miny, maxx, maxy = tile_bounds(z, x, y)
    mx, my = lonlat_to_mercator(lon, lat)
    eps = 1e-9 * ORIGIN_SHIFT_M
    assert minx - eps <= mx <= maxx + eps
    assert miny - eps <= my <= maxy + eps


@pytest.mark.parametrize(
    ("z", "x", "y"),
    [(-1, 0, 0), (20, 0, 0), (0, 1, 0), (0, 0, 1), (3, 8, 0), (3, 0, 8), (3, -1, 0), (3, 0, -1)],
)
def test_invalid_tile_raises(z: int, x: int, y: int) -> None:
    with pytest.raises(ValueError, match="tile"):
        tile_bounds(z, x, y)


def test_non_integer_tile_raises() -> None:
    half: Any = 0.5
    with pytest.raises(TypeError):
        tile_bounds(1, half, 0)
