"""Grid cells for counting many places on a wide map view.

A national map cannot draw every venue, unit and event of a country at once; at a wide view it
shows how many there are per cell of a square grid in degrees, and the places themselves once
the view is close. The grid is aligned on multiples of the cell size from (0, 0), so the
database groups rows by ``floor(lat / cell), floor(lon / cell)`` and neighbouring requests
agree on their cells.

A cell is a quarter of a map tile's width at the zoom (64 pixels of a 256-pixel tile), made
coarser, by doubling, until the box asked about spans at most ``max_cells`` cells: the answer
stays bounded whatever the box and zoom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CELLS_PER_TILE = 4
MAX_CELLS = 1024


@dataclass(frozen=True)
class Box:
    """A box in degrees: ``west <= east``, ``south <= north``."""

    west: float
    south: float
    east: float
    north: float


WORLD = Box(-180.0, -90.0, 180.0, 90.0)


def cells_across(box: Box, cell: float) -> int:
    """How many grid cells of ``cell`` degrees the box touches."""
    columns = math.floor(box.east / cell) - math.floor(box.west / cell) + 1
    rows = math.floor(box.north / cell) - math.floor(box.south / cell) + 1
    return columns * rows


def cell_size(zoom: int, box: Box = WORLD, max_cells: int = MAX_CELLS) -> float:
    """The cell in degrees for a view at ``zoom`` (0–22) over ``box``; ``max_cells`` ≥ 4."""
    if max_cells < 4:
        raise ValueError("max_cells must be at least 4")
    cell = 360.0 / 2**zoom / CELLS_PER_TILE
    # Doubling stops at the latest at 512°, where any box within the world spans 2 × 2 cells.
    while cells_across(box, cell) > max_cells:
        cell *= 2
    return cell
