"""Web-Mercator tile arithmetic and the re-assembly of lines clipped at tile edges.

All tile coordinates are first mapped onto one integer *world grid* of ``GRID = 2**32``
units per axis (about 1e-7° of longitude, ~9 mm at the equator). For OSM QA tiles (zoom 12,
extent 2**20) that mapping is exact, so a vertex or an edge-crossing point shared by two
tiles lands on the very same integer pair in both: this is the "snap to ~1e-7°" that makes
clipped pieces join, without any floating-point tolerance.

A way that crosses a tile edge is stored as one piece per tile; the clipper inserts an
artificial vertex where each segment crosses the edge. ``stitch_pieces`` de-duplicates the
segments of all pieces (by ``(a, b)``; pieces from overlapping buffers repeat them), chains
them back in direction of travel and drops the artificial edge vertices again, which gives
back the original OSM vertex order.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

GRID = 2**32
"""World-grid units per axis (the snapping grid)."""

GridPoint = tuple[int, int]


def tile_size(zoom: int) -> int:
    """Width of one tile of ``zoom`` in world-grid units."""
    return GRID >> zoom


def tile_to_grid(zoom: int, tx: int, ty: int, x: float, y: float, extent: int) -> GridPoint:
    """Tile-local ``(x, y)`` (y pointing down, 0..extent) to the world grid."""
    size = tile_size(zoom)
    if size % extent == 0:
        step = size // extent
        return tx * size + round(x) * step, ty * size + round(y) * step
    return tx * size + round(x * size / extent), ty * size + round(y * size / extent)


def grid_to_lonlat(gx: float, gy: float) -> tuple[float, float]:
    """World-grid point to ``(lon, lat)`` in degrees (spherical Web Mercator)."""
    lon = gx / GRID * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * gy / GRID))))
    return lon, lat


def lonlat_to_grid(lon: float, lat: float) -> tuple[float, float]:
    """``(lon, lat)`` to fractional world-grid coordinates (inverse of ``grid_to_lonlat``)."""
    gx = (lon + 180.0) / 360.0 * GRID
    rad = math.radians(lat)
    gy = (1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * GRID
    return gx, gy


def tile_to_lonlat(
    zoom: int, tx: int, ty: int, x: float, y: float, extent: int
) -> tuple[float, float]:
    """Tile-local ``(x, y)`` to ``(lon, lat)``; the formula of the OSM QA tile README."""
    n = 2**zoom
    big_x = (tx + x / extent) / n
    big_y = (ty + y / extent) / n
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * big_y))))
    return big_x * 360.0 - 180.0, lat


def grid_array_to_lonlat(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Vectorised ``grid_to_lonlat`` over an ``(N, 2)`` array (for ``shapely.transform``)."""
    out = np.empty_like(coords, dtype=np.float64)
    out[:, 0] = coords[:, 0] / GRID * 360.0 - 180.0
    out[:, 1] = np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * coords[:, 1] / GRID))))
    return out


def dedupe_segments(pieces: Iterable[Sequence[GridPoint]]) -> list[tuple[GridPoint, GridPoint]]:
    """All directed segments of ``pieces`` in first-seen order, each ``(a, b)`` once."""
    seen: dict[tuple[GridPoint, GridPoint], None] = {}
    for piece in pieces:
        for a, b in itertools.pairwise(piece):
            if a != b:
                seen.setdefault((a, b), None)
    return list(seen)


def stitch_pieces(
    pieces: Sequence[Sequence[GridPoint]], is_cut: Callable[[GridPoint], bool]
) -> list[list[GridPoint]]:
    """Re-join the clipped ``pieces`` of one way into ordered line(s).

    ``is_cut(p)`` tells whether ``p`` lies on a tile edge, i.e. may be an artificial vertex
    added by clipping. Lines start at a vertex with more outgoing than incoming segments (the
    way's first vertex); closed ways start at the first piece start that is not on a tile
    edge (the way's own first vertex). Interior edge vertices are dropped; line ends on the
    outer edge of the tile set are kept since the way continues beyond the data. A way that
    leaves the tile set and comes back yields several lines.
    """
    segments = dedupe_segments(pieces)
    if not segments:
        return []
    successors: dict[GridPoint, deque[GridPoint]] = defaultdict(deque)
    balance: dict[GridPoint, int] = defaultdict(int)
    for a, b in segments:
        successors[a].append(b)
        balance[a] += 1
        balance[b] -= 1

    def walk(start: GridPoint) -> list[GridPoint]:
        path = [start]
        while successors[path[-1]]:
            path.append(successors[path[-1]].popleft())
        return path

    lines: list[list[GridPoint]] = []
    for a, _ in segments:
        while balance[a] > 0 and successors[a]:
            balance[a] -= 1
            lines.append(walk(a))
    starts = [piece[0] for piece in pieces if piece and not is_cut(piece[0])]
    starts += [a for a, _ in segments]
    for a in starts:
        while successors[a]:
            lines.append(walk(a))
    return [_drop_cut_vertices(line, is_cut) for line in lines if len(line) >= 2]


def _drop_cut_vertices(
    line: list[GridPoint], is_cut: Callable[[GridPoint], bool]
) -> list[GridPoint]:
    inner = [p for p in line[1:-1] if not is_cut(p)]
    return [line[0], *inner, line[-1]]
