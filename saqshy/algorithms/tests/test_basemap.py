"""Tests for the offline basemap renderer: tile math, drawing, seams and input handling."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from PIL import Image

from saqshy.algorithms.basemap import (
    BasemapIndex,
    empty_tile,
    lonlat_to_mercator,
    lonlat_to_tile,
    mercator_to_lonlat,
    render_tile,
    style,
    tile_bounds,
)
from saqshy.algorithms.basemap.index import ORIGIN_SHIFT_M, tile_size_m

# A tile in central Astana at z16 and its right-hand neighbour.
Z, X, Y = 16, 45771, 21902
PRIMARY = style.ROAD_STYLES[5]


def _lonlat(z: int, x: int, y: int, px: float, py: float) -> tuple[float, float]:
    """lon/lat of output pixel position (px, py) of tile z/x/y (may lie outside the tile)."""
    minx, _, maxx, maxy = tile_bounds(z, x, y)
    res = (maxx - minx) / 256
    return mercator_to_lonlat(minx + px * res, maxy - py * res)


def _feature(layer: str, gtype: str, coords: Any, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"layer": layer, **props},
        "geometry": {"type": gtype, "coordinates": coords},
    }


def _road(points: list[tuple[float, float]], highway: str = "primary") -> dict[str, Any]:
    """A road through output-pixel positions of tile (Z, X, Y)."""
    return _feature(
        "road", "LineString", [_lonlat(Z, X, Y, px, py) for px, py in points], highway=highway
    )


def _square(z: int, x: int, y: int, x0: float, y0: float, x1: float, y1: float) -> list[Any]:
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return [[_lonlat(z, x, y, px, py) for px, py in ring]]


def _pixels(png: bytes) -> NDArray[np.int16]:
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.size == (256, 256)
    return np.asarray(img.convert("RGB"), dtype=np.int16)


def _is_background(pixels: NDArray[np.int16]) -> NDArray[np.bool_]:
    return np.all(pixels == np.array(style.BACKGROUND), axis=-1)


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
    z=st.integers(0, 20),
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
    [(-1, 0, 0), (21, 0, 0), (0, 1, 0), (0, 0, 1), (3, 8, 0), (3, 0, 8), (3, -1, 0), (3, 0, -1)],
)
def test_invalid_tile_raises(z: int, x: int, y: int) -> None:
    index = BasemapIndex.from_features([])
    with pytest.raises(ValueError, match="tile"):
        render_tile(index, z, x, y)
    with pytest.raises(ValueError, match="tile"):
        tile_bounds(z, x, y)


def test_non_integer_tile_raises() -> None:
    half: Any = 0.5
    with pytest.raises(TypeError):
        tile_bounds(1, half, 0)


def test_empty_tile_is_background_png() -> None:
    index = BasemapIndex.from_features([])
    png = render_tile(index, 5, 3, 7)
    assert png == empty_tile(256)
    assert _is_background(_pixels(png)).all()


def test_road_pixels_follow_its_path() -> None:
    index = BasemapIndex.from_features([_road([(-40, 128.0), (300, 128.0)])])
    pixels = _pixels(render_tile(index, Z, X, Y))
    assert np.abs(pixels[128, :] - np.array(PRIMARY.fill)).max() <= 2
    rows = np.flatnonzero(~_is_background(pixels).all(axis=1))
    half = style.road_width(PRIMARY.rank, Z) / 2 + style.casing_width(Z)
    assert rows.tolist() == list(range(rows[0], rows[-1] + 1))
    assert 128 - half - 1 <= rows[0] and rows[-1] <= 128 + half
    assert (~_is_background(pixels[rows])).all()
    assert abs(rows.mean() - 127.5) <= 0.5


def test_minor_road_hidden_at_low_zoom() -> None:
    index = BasemapIndex.from_features([_road([(-40, 128.0), (300, 128.0)], "footway")])
    x, y = lonlat_to_tile(*_lonlat(Z, X, Y, 128, 128), 12)
    assert _is_background(_pixels(render_tile(index, 12, x, y))).all()
    assert not _is_background(_pixels(render_tile(index, Z, X, Y))).all()


def test_feature_across_tile_edge_is_seamless() -> None:
    road = _road([(100, 60.5), (400, 60.5)])
    building = _feature("building", "Polygon", _square(Z, X, Y, 230, 150, 290, 200), levels=5)
    index = BasemapIndex.from_features([road, building])
    left = _pixels(render_tile(index, Z, X, Y))
    right = _pixels(render_tile(index, Z, X + 1, Y))
    edge_left, edge_right = left[:, -1], right[:, 0]
    assert not _is_background(edge_left[55:66]).any()
    assert not _is_background(edge_right[55:66]).any()
    assert not _is_background(edge_left[155:195]).any()
    assert not _is_background(edge_right[155:195]).any()
    assert np.abs(edge_left - edge_right).max() <= 2


def test_diagonal_road_crosses_vertical_seam_at_same_row() -> None:
    index = BasemapIndex.from_features([_road([(0, 0), (512, 256)], "residential")])
    left = _pixels(render_tile(index, Z, X, Y))
    right = _pixels(render_tile(index, Z, X + 1, Y))
    rows_left = np.flatnonzero(~_is_background(left[:, -1]))
    rows_right = np.flatnonzero(~_is_background(right[:, 0]))
    assert len(rows_left) and len(rows_right)
    assert abs(rows_left.mean() - rows_right.mean()) < 1.0


def test_stroke_of_road_just_beyond_edge_reaches_into_tile() -> None:
    index = BasemapIndex.from_features([_road([(258.0, -50), (258.0, 300)])])
    left = _pixels(render_tile(index, Z, X, Y))
    right = _pixels(render_tile(index, Z, X + 1, Y))
    assert not _is_background(left[:, -1]).any()
    assert _is_background(left[:, :-6]).all()
    assert np.abs(left[:, -1] - right[:, 0]).max() <= 40


def test_buildings_hidden_at_z12_shown_at_z16() -> None:
    building = _feature("building", "Polygon", _square(Z, X, Y, 40, 40, 216, 216))
    index = BasemapIndex.from_features([building])
    x12, y12 = lonlat_to_tile(*_lonlat(Z, X, Y, 128, 128), 12)
    assert _is_background(_pixels(render_tile(index, 12, x12, y12))).all()
    pixels = _pixels(render_tile(index, Z, X, Y))
    assert np.abs(pixels[128, 128] - np.array(style.BUILDING_FILL)).max() <= 2
    assert _is_background(pixels[:30, :]).all()


def test_hole_in_water_stays_land() -> None:
    outer = _square(Z, X, Y, 20, 20, 236, 236)[0]
    hole = _square(Z, X, Y, 100, 100, 156, 156)[0]
    index = BasemapIndex.from_features([_feature("water", "Polygon", [outer, hole])])
    pixels = _pixels(render_tile(index, Z, X, Y))
    assert np.abs(pixels[60, 60] - np.array(style.WATER_FILL)).max() <= 2
    assert _is_background(pixels[120:136, 120:136]).all()


def test_boundary_polygon_is_drawn_as_outline() -> None:
    region = _feature("boundary", "Polygon", _square(Z, X, Y, 40, 40, 216, 216), name="r")
    index = BasemapIndex.from_features([region])
    pixels = _pixels(render_tile(index, Z, X, Y))
    assert _is_background(pixels[100:156, 100:156]).all()
    assert not _is_background(pixels[30:50, 60:200]).all()


def test_boundary_dashes_continue_across_tiles() -> None:
    line = [_lonlat(Z, X, Y, px, 100.5) for px in (-300.0, 37.0, 700.0)]
    index = BasemapIndex.from_features([_feature("boundary", "LineString", line)])
    row = np.concatenate([_pixels(render_tile(index, Z, X + dx, Y))[100] for dx in (0, 1)])
    on = ~_is_background(row) & (row.sum(axis=-1) < sum(style.BACKGROUND) - 60)
    starts = np.flatnonzero(on[1:] & ~on[:-1]) + 1
    period = sum(style.BOUNDARY_DASH_PX)
    assert len(starts) >= 40
    assert np.all(np.abs(np.diff(starts) - period) <= 1)


_pixel = st.floats(-400.0, 650.0, allow_nan=False)


@settings(max_examples=25, deadline=None)
@given(
    line=st.lists(st.tuples(_pixel, _pixel), min_size=2, max_size=8),
    ring=st.lists(st.tuples(_pixel, _pixel), min_size=3, max_size=7),
    highway=st.sampled_from(["motorway_link", "primary", "residential", "footway", "steps"]),
    z=st.integers(10, 20),
)
def test_arbitrary_geometry_always_renders(
    line: list[tuple[float, float]], ring: list[tuple[float, float]], highway: str, z: int
) -> None:
    polygon = [[_lonlat(Z, X, Y, px, py) for px, py in [*ring, ring[0]]]]
    index = BasemapIndex.from_features(
        [
            _road(line, highway),
            _feature("building", "Polygon", polygon),
            _feature("water", "Polygon", polygon),
            _feature("boundary", "Polygon", polygon),
        ]
    )
    x, y = lonlat_to_tile(*_lonlat(Z, X, Y, 128, 128), z)
    for dx in (-1, 0):
        img = Image.open(io.BytesIO(render_tile(index, z, x + dx, y)))
        assert img.size == (256, 256)


def test_skips_unusable_features() -> None:
    index = BasemapIndex.from_features(
        [
            _road([(0, 0), (10, 10)], "construction"),
            _feature("landuse", "Polygon", _square(Z, X, Y, 0, 0, 10, 10)),
            {"type": "Feature", "properties": {"layer": "road", "highway": "primary"}},
            _feature("road", "LineString", [[0.0, 0.0]], highway="primary"),
            _road([(0, 0), (10, 10)]),
        ]
    )
    assert index.counts["roads"] == 1
    assert sum(index.counts.values()) == 1


def test_from_geojson_files_reads_plain_and_gzip(tmp_path: Path) -> None:
    doc = {"type": "FeatureCollection", "features": [_road([(0, 0), (100, 100)])]}
    plain = tmp_path / "a.geojson"
    plain.write_text(json.dumps(doc))
    packed = tmp_path / "b.geojson.gz"
    packed.write_bytes(gzip.compress(json.dumps(doc).encode()))
    index = BasemapIndex.from_geojson_files([plain, packed])
    assert index.counts["roads"] == 2
    assert index.extent is not None
