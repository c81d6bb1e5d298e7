"""Image geometry for a fixed camera: the watched area as a mask, and the ground plane.

A camera watching a square or a gate sees the ground in perspective. Four image points whose
positions on the ground are known in metres (measured on site, or read off a plan) fix a
homography between the image and the ground plane; with it a pixel polygon has an area in
square metres, so a people count becomes a density (persons per m²), and the local ground scale
at a pixel tells how large a person standing there appears.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

Point = tuple[float, float]
Matrix3 = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]


def polygon_mask(shape: tuple[int, int], image_points: Sequence[Point]) -> np.ndarray:
    """A uint8 mask of ``shape`` (rows, columns): 255 inside the polygon of image points
    (x, y in pixels), 0 outside. Raises ValueError for fewer than 3 points or an empty shape."""
    rows, cols = shape
    if rows <= 0 or cols <= 0:
        raise ValueError(f"mask shape must be positive (rows, columns), got {shape}")
    if len(image_points) < 3:
        raise ValueError(f"a mask polygon needs at least 3 image points, got {len(image_points)}")
    mask = np.zeros((rows, cols), dtype=np.uint8)
    polygon = np.round(np.asarray(image_points, dtype=np.float64)).astype(np.int32)
    cv2.fillPoly(mask, [polygon.reshape(-1, 1, 2)], 255)
    return mask


def _check_four(points: Sequence[Point], what: str) -> np.ndarray:
    array = np.asarray(points, dtype=np.float64)
    if array.shape != (4, 2) or not np.all(np.isfinite(array)):
        raise ValueError(f"{what} must be exactly 4 finite (x, y) points, got {points!r}")
    for i in range(4):
        for j in range(i + 1, 4):
            for k in range(j + 1, 4):
                a, b, c = array[i], array[j], array[k]
                cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
                scale = max(float(np.ptp(array[:, 0])), float(np.ptp(array[:, 1])), 1e-12)
                if abs(cross) < 1e-6 * scale * scale:
                    raise ValueError(
                        f"degenerate calibration: {what} {i + 1}, {j + 1} and {k + 1} "
                        "are (nearly) on one line"
                    )
    return array


@dataclass(frozen=True)
class Homography:
    """Image pixels ↔ ground metres for one fixed camera (a 3×3 matrix, image → ground).

    Build it with :meth:`from_points` from 4 image points and the 4 ground points (metres, any
    local x/y frame) they show; no three of either may be on one line.
    """

    matrix: Matrix3

    @classmethod
    def from_points(
        cls, image_points: Sequence[Point], ground_points: Sequence[Point]
    ) -> Homography:
        image = _check_four(image_points, "image points")
        ground = _check_four(ground_points, "ground points")
        matrix = cv2.getPerspectiveTransform(image.astype(np.float32), ground.astype(np.float32))
        if not np.all(np.isfinite(matrix)) or abs(np.linalg.det(matrix)) < 1e-12:
            raise ValueError("degenerate calibration: the points give no invertible homography")
        return cls(_as_tuple(matrix))

    @property
    def array(self) -> np.ndarray:
        return np.asarray(self.matrix, dtype=np.float64)

    def image_to_ground(self, x: float, y: float) -> Point:
        """The ground position (metres) of image pixel (x, y). Raises ValueError for a pixel
        on the horizon (it maps to no point on the ground)."""
        gx, gy, w = self.array @ np.array([x, y, 1.0])
        if abs(w) <= 1e-12 * max(abs(gx), abs(gy), 1.0):
            raise ValueError(f"image point ({x}, {y}) is on the horizon: no ground position")
        return float(gx / w), float(gy / w)

    def ground_to_image(self, x: float, y: float) -> Point:
        """The image pixel showing ground position (x, y) in metres."""
        ix, iy, w = np.linalg.inv(self.array) @ np.array([x, y, 1.0])
        return float(ix / w), float(iy / w)

    def ground_area_m2(self, image_polygon: Sequence[Point]) -> float:
        """The ground area (m²) of a polygon drawn in the image (pixels); it must lie below the
        horizon. Raises ValueError for fewer than 3 points."""
        if len(image_polygon) < 3:
            raise ValueError(f"an area needs at least 3 image points, got {len(image_polygon)}")
        ground = np.array([self.image_to_ground(x, y) for x, y in image_polygon])
        x, y = ground[:, 0], ground[:, 1]
        return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)

    def pixels_per_metre(self, x: float, y: float) -> float:
        """The local linear scale of the ground at image pixel (x, y): the square root of how
        many image pixels one square metre of ground covers there."""
        inverse = np.linalg.inv(self.array)
        gx, gy = self.image_to_ground(x, y)
        ground = np.array([[gx, gy], [gx + 1.0, gy], [gx, gy + 1.0]], dtype=np.float64)
        homogeneous = np.c_[ground, np.ones(3)] @ inverse.T
        image = homogeneous[:, :2] / homogeneous[:, 2:3]
        u, v = image[1] - image[0], image[2] - image[0]
        return float(np.sqrt(abs(u[0] * v[1] - u[1] * v[0])))

    def scaled(self, factor: float) -> Homography:
        """The same calibration for the image resized by ``factor`` (pixels × factor)."""
        resize = np.diag([1.0 / factor, 1.0 / factor, 1.0])
        return Homography(_as_tuple(self.array @ resize))


def _as_tuple(matrix: np.ndarray) -> Matrix3:
    rows = [tuple(float(v) for v in row) for row in np.asarray(matrix, dtype=np.float64)]
    return (
        (rows[0][0], rows[0][1], rows[0][2]),
        (rows[1][0], rows[1][1], rows[1][2]),
        (rows[2][0], rows[2][1], rows[2][2]),
    )
