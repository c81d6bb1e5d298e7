"""Tile arithmetic and the re-assembly of ways clipped at tile edges."""

from __future__ import annotations

import itertools
import math
import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from saqshy.algorithms.osm.tiles import (
    GRID,
    GridPoint,
    dedupe_segments,
    grid_to_lonlat,
    lonlat_to_grid,
    stitch_pieces,
    tile_size,
    tile_to_grid,
    tile_to_lonlat,
)

_TO_WGS84 = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)

TILE = 1000
"""Tile size (world-grid units) of the synthetic clipping grid in these tests."""


def is_cut(point: GridPoint) -> bool:
    return point[0] % TILE == 0 or point[1] % TILE == 0


def clip(line: list[GridPoint]) -> list[list[GridPoint]]:
    """Cut ``line`` into per-tile pieces the way a tile clipper does (edge points rounded)."""
    pieces: list[list[GridPoint]] = []
    current: list[GridPoint] = []
    current_tile: tuple[int, int] | None = None
    for (ax, ay), (bx, by) in itertools.pairwise(line):
        params = {0.0, 1.0}
        for a, b in ((ax, bx), (ay, by)):
            for k in range(min(a, b) // TILE + 1, max(a, b) // TILE + 1):
                params.add((k * TILE - a) / (b - a))
        points: list[GridPoint] = []
        for t in sorted(params):
            point = (round(ax + t * (bx - ax)), round(ay + t * (by - ay)))
            if not points or points[-1] != point:
                points.append(point)
        for p, q in itertools.pairwise(points):
            tile = (math.floor((p[0] + q[0]) / 2 / TILE), math.floor((p[1] + q[1]) / 2 / TILE))
            if tile != current_tile:
                if current:
                    pieces.append(current)
                current, current_tile = [p, q], tile
            else:
                current.append(q)
    pieces.append(current)
    return pieces


coordinate = st.integers(min_value=1, max_value=5 * TILE - 1).filter(lambda v: v % TILE != 0)
vertices = st.lists(st.tuples(coordinate, coordinate), min_size=2, max_size=12, unique=True)


def _cut_points_unique(pieces: list[list[GridPoint]]) -> bool:
    cuts = [p for piece in pieces for p in piece[1:] if is_cut(p)]
    return len(cuts) == len(set(cuts))


@settings(max_examples=200, deadline=None)
@given(line=vertices, seed=st.integers(0, 2**16), closed=st.booleans())
def test_clipped_way_stitches_back_to_original_order(
    line: list[GridPoint], seed: int, closed: bool
) -> None:
    original = [*line, line[0]] if closed and len(line) >= 3 else line
    pieces = clip(original)
    assume(_cut_points_unique(pieces))
    rng = random.Random(seed)
    shuffled = pieces + [rng.choice(pieces) for _ in range(rng.randint(0, 3))]
    rng.shuffle(shuffled)
    assert stitch_pieces(shuffled, is_cut) == [original]


def test_way_leaving_the_tile_set_gives_two_lines_with_edge_ends() -> None:
    inside_a = [(100, 100), (500, 100), (1000, 100)]
    inside_b = [(1000, 900), (600, 900), (200, 900)]
    lines = stitch_pieces([inside_b, inside_a], is_cut)
    assert sorted(lines) == sorted([inside_a, inside_b])


def test_dedupe_segments_keeps_first_seen_order() -> None:
    pieces = [[(1, 1), (2, 2), (3, 3)], [(2, 2), (3, 3), (4, 4)], [(4, 4), (4, 4)]]
    assert dedupe_segments(pieces) == [((1, 1), (2, 2)), ((2, 2), (3, 3)), ((3, 3), (4, 4))]


@given(
    lon=st.floats(min_value=-179.9, max_value=179.9),
    lat=st.floats(min_value=-85.0, max_value=85.0),
)
def test_lonlat_grid_round_trip(lon: float, lat: float) -> None:
    back = grid_to_lonlat(*lonlat_to_grid(lon, lat))
    assert abs(back[0] - lon) < 1e-9
    assert abs(back[1] - lat) < 1e-9


@given(
    tx=st.integers(0, 4095),
    ty=st.integers(0, 4095),
    x=st.integers(0, 2**20),
    y=st.integers(0, 2**20),
)
def test_grid_mapping_agrees_with_readme_formula(tx: int, ty: int, x: int, y: int) -> None:
    lon, lat = tile_to_lonlat(12, tx, ty, x, y, 2**20)
    glon, glat = grid_to_lonlat(*tile_to_grid(12, tx, ty, x, y, 2**20))
    assert abs(lon - glon) < 1e-9
    assert abs(lat - glat) < 1e-9


def test_shared_tile_edge_maps_to_the_same_grid_point() -> None:
    assert tile_to_grid(12, 2860, 1367, 2**20, 5, 2**20) == tile_to_grid(
        12, 2861, 1367, 0, 5, 2**20
    )
    assert tile_size(12) * 2**12 == GRID


@given(tx=st.integers(0, 4095), ty=st.integers(1, 4094), x=st.integers(0, 4096))
def test_tile_corner_matches_pyproj_web_mercator(tx: int, ty: int, x: int) -> None:
    half = 20037508.342789244
    size = 2 * half / 2**12
    mx, my = -half + (tx + x / 4096) * size, half - ty * size
    expected_lon, expected_lat = _TO_WGS84.transform(mx, my)
    lon, lat = tile_to_lonlat(12, tx, ty, x, 0, 4096)
    assert abs(lon - expected_lon) < 1e-8
    assert abs(lat - expected_lat) < 1e-8
