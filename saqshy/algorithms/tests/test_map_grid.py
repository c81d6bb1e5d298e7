from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saqshy.algorithms.map_grid import (
    CELLS_PER_TILE,
    MAX_CELLS,
    WORLD,
    Box,
    cell_size,
    cells_across,
)


@st.composite
def boxes(draw: st.DrawFn) -> Box:
    lons = sorted(draw(st.lists(st.floats(-180, 180), min_size=2, max_size=2)))
    lats = sorted(draw(st.lists(st.floats(-90, 90), min_size=2, max_size=2)))
    return Box(lons[0], lats[0], lons[1], lats[1])


@given(zoom=st.integers(0, 22), box=boxes(), max_cells=st.integers(4, 5000))
def test_the_cell_keeps_the_answer_bounded_and_is_as_fine_as_that_allows(
    zoom: int, box: Box, max_cells: int
) -> None:
    cell = cell_size(zoom, box, max_cells)
    base = 360.0 / 2**zoom / CELLS_PER_TILE
    assert cells_across(box, cell) <= max_cells
    assert cell >= base
    if cell > base:  # only coarsened when the finer cell would have spanned too many
        assert cells_across(box, cell / 2) > max_cells


def test_a_city_view_keeps_the_tile_quarter() -> None:
    astana = Box(71.2, 51.0, 71.7, 51.3)
    assert cell_size(12, astana) == pytest.approx(360 / 4096 / 4)
    assert cells_across(astana, cell_size(12, astana)) <= MAX_CELLS


def test_the_whole_world_at_a_close_zoom_is_coarsened() -> None:
    cell = cell_size(15, WORLD)
    assert cells_across(WORLD, cell) <= MAX_CELLS
    assert cell > 360 / 2**15 / 4


def test_cells_are_counted_on_the_aligned_grid() -> None:
    assert cells_across(Box(0.5, 0.5, 0.6, 0.6), 1.0) == 1
    assert cells_across(Box(-0.5, -0.5, 0.5, 0.5), 1.0) == 4
    with pytest.raises(ValueError):
        cell_size(3, WORLD, max_cells=3)
