"""A square grid in a metric projection, and point events binned on it.

The grid lives in a projected CRS so that a cell is the same size everywhere: by default the UTM
zone of the events' centroid (works for any country; within a zone the scale error is under
0.1 %), or any projected CRS the caller names. Cells are numbered row by row from the south-west
corner: ``cell = row * nx + col``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
from pyproj import CRS, Transformer

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DEFAULT_CELL_M = 250.0
MAX_CELLS = 20_000_000
"""A dense grid larger than this is refused (choose a larger cell or a smaller area)."""


class ForecastInputError(ValueError):
    """The events cannot be forecast as given (bad column, no events in a period …)."""


def utm_crs(lat: float, lon: float) -> str:
    """The WGS 84 / UTM zone containing (``lat``, ``lon``), as ``EPSG:326zz`` or ``EPSG:327zz``."""
    zone = math.floor((lon + 180.0) / 6.0) % 60 + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def to_lonlat(a: FloatArray, b: FloatArray, crs: str) -> tuple[FloatArray, FloatArray]:
    """Coordinates in ``crs`` (``a`` east/longitude, ``b`` north/latitude) → (lon, lat) degrees."""
    source = CRS.from_user_input(crs)
    if source.equals(CRS.from_epsg(4326)):
        return np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    lon, lat = transformer.transform(np.asarray(a, float), np.asarray(b, float))
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


@dataclass(frozen=True)
class Grid:
    """``nx`` × ``ny`` square cells of ``cell_m`` metres from (``x0``, ``y0``) in ``crs``."""

    crs: str
    x0: float
    y0: float
    cell_m: float
    nx: int
    ny: int

    @property
    def n_cells(self) -> int:
        return self.nx * self.ny

    @property
    def cell_km2(self) -> float:
        return (self.cell_m / 1000.0) ** 2

    @classmethod
    def covering(
        cls,
        lon: FloatArray,
        lat: FloatArray,
        *,
        cell_m: float = DEFAULT_CELL_M,
        crs: str | None = None,
        margin_m: float = 2000.0,
    ) -> Grid:
        """The grid covering the points plus ``margin_m`` on every side (room for smoothing)."""
        if cell_m <= 0:
            raise ForecastInputError("The cell size must be positive.")
        if len(lon) == 0:
            raise ForecastInputError("There are no events to lay a grid over.")
        if crs is None:
            crs = utm_crs(float(np.median(lat)), float(np.median(lon)))
        if CRS.from_user_input(crs).is_geographic:
            raise ForecastInputError(f"The grid needs a projected (metric) CRS, not {crs}.")
        x, y = _forward(crs).transform(lon, lat)
        x, y = np.asarray(x), np.asarray(y)
        x0 = math.floor((float(x.min()) - margin_m) / cell_m) * cell_m
        y0 = math.floor((float(y.min()) - margin_m) / cell_m) * cell_m
        nx = math.ceil((float(x.max()) + margin_m - x0) / cell_m)
        ny = math.ceil((float(y.max()) + margin_m - y0) / cell_m)
        if nx * ny > MAX_CELLS:
            raise ForecastInputError(
                f"The events span {nx} × {ny} cells of {cell_m:g} m, more than {MAX_CELLS:,}: "
                "choose a larger cell or fewer, closer events."
            )
        return cls(crs=crs, x0=x0, y0=y0, cell_m=float(cell_m), nx=nx, ny=ny)

    def project(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(lon, lat) degrees → metres in the grid's CRS."""
        x, y = _forward(self.crs).transform(lon, lat)
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def cell_of(self, x: FloatArray, y: FloatArray) -> IntArray:
        """The cell of each projected point, or -1 for points outside the grid."""
        col = np.floor((np.asarray(x) - self.x0) / self.cell_m).astype(np.int64)
        row = np.floor((np.asarray(y) - self.y0) / self.cell_m).astype(np.int64)
        inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        return np.where(inside, row * self.nx + col, -1)

    @cached_property
    def centres_xy(self) -> tuple[FloatArray, FloatArray]:
        cols = self.x0 + (np.arange(self.nx) + 0.5) * self.cell_m
        rows = self.y0 + (np.arange(self.ny) + 0.5) * self.cell_m
        x, y = np.meshgrid(cols, rows)
        return x.ravel(), y.ravel()

    def centres_lonlat(self, cells: IntArray | None = None) -> tuple[FloatArray, FloatArray]:
        """(lon, lat) of the centres of ``cells`` (default: every cell)."""
        x, y = self.centres_xy
        if cells is not None:
            x, y = x[cells], y[cells]
        lon, lat = _inverse(self.crs).transform(x, y)
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def corners_lonlat(self, cells: IntArray) -> FloatArray:
        """The four corners (SW, SE, NE, NW) of each cell in degrees: shape (n, 4, 2)."""
        x, y = self.centres_xy
        half = self.cell_m / 2
        cx, cy = x[cells], y[cells]
        xs = np.stack([cx - half, cx + half, cx + half, cx - half], axis=1)
        ys = np.stack([cy - half, cy - half, cy + half, cy + half], axis=1)
        lon, lat = _inverse(self.crs).transform(xs.ravel(), ys.ravel())
        return np.stack([np.asarray(lon), np.asarray(lat)], axis=1).reshape(len(cells), 4, 2)


def _forward(crs: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _inverse(crs: str) -> Transformer:
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
