"""People in a fixed camera's view, counted by foreground area over a self-calibrated person size.

Each frame goes through a background model (OpenCV's MOG2 or KNN, shadows dropped), a small
morphological clean-up and, optionally, the mask of the watched area. Every foreground blob
then counts as its pixel area divided by the area one person covers at that blob's position:
a lone walker counts about 1, a group merged into one blob about its size, a blob cut by the
mask's edge a fraction. Perspective makes people grow toward the bottom of the image, so the
expected person area is a function of the image row of the blob's foot point.

That function is learned online from the footage itself, with no ground truth: upright,
whole blobs (taller than wide, off the frame's edges) are collected with their foot row; in
row bands a robust quantile of their areas is taken (lone people are the commonest blobs, a
merged group or a fragment the exception), and the square root of those areas, a person's
linear size, is fitted as a straight line in the row, which is what a ground plane seen in
perspective gives. With a ground-plane :class:`~.geometry.Homography` the shape of the
function comes from the calibration instead (area ∝ the local ground scale squared) and only
its factor is learned. Before enough blobs have been seen, each sizeable blob counts as one.

The raw per-frame estimate is noisy (people cross, a bag swings); the reported count is the
median over the last few frames. People who stand still long enough fade into the background
model (``history`` frames sets how long); this counts moving crowds, not a seated audience.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

import cv2
import numpy as np

from saqshy.algorithms.vision.geometry import Homography


@dataclass(frozen=True)
class CounterSettings:
    """The counter's tunables. Pixel sizes are relative to the frame, so the defaults hold at
    any resolution; frame counts are frames as fed (at 10 frames/s, 10 frames = 1 s).

    subtractor: "mog2" (default) or "knn", OpenCV's background models.
    history: frames the background model remembers; someone standing still for about a
        tenth to a half of this fades into the background.
    var_threshold: MOG2's squared Mahalanobis distance for foreground (OpenCV's default 16);
        for KNN its squared distance threshold (OpenCV's default 400) is used instead.
    max_width: frames wider than this are shrunk to it first (speed on HD streams).
    open_px, close_px: the morphological opening (removes speckle) and closing (joins a
        person's parts) kernel sizes at 480 pixels of width, scaled with the frame.
    min_blob_fraction: blobs smaller than this share of the frame are noise.
    min_person_share: blobs smaller than this share of one person at their row count zero.
    calibration_quantile: which quantile of the whole upright blobs' areas in a row band is
        taken as one person's area.
    calibration_bands: row bands for the person-size fit.
    calibration_min_samples: blobs seen before the fit is trusted.
    calibration_window: the most recent blobs that the fit uses (it follows a change of scene).
    calibration_every: frames between refits.
    smoothing_window: frames in the running median of the reported count (1 = none).
    homography: the ground plane, if the camera is calibrated.
    """

    subtractor: str = "mog2"
    history: int = 500
    var_threshold: float = 16.0
    max_width: int = 640
    open_px: int = 3
    close_px: int = 5
    min_blob_fraction: float = 1e-4
    min_person_share: float = 0.2
    calibration_quantile: float = 0.5
    calibration_statistic: str = "weighted"
    blur_px: int = 0
    calibration_min_aspect: float = 1.5
    calibration_bands: int = 6
    calibration_min_samples: int = 150
    calibration_window: int = 4000
    calibration_every: int = 25
    smoothing_window: int = 5
    homography: Homography | None = None

    def __post_init__(self) -> None:
        if self.subtractor not in ("mog2", "knn"):
            raise ValueError(f"subtractor must be 'mog2' or 'knn', got {self.subtractor!r}")
        if self.history < 1 or self.smoothing_window < 1 or self.calibration_every < 1:
            raise ValueError("history, smoothing_window and calibration_every must be ≥ 1")
        if not 0.0 < self.calibration_quantile < 1.0:
            raise ValueError("calibration_quantile must be between 0 and 1")
        if self.calibration_bands < 1 or self.calibration_min_samples < 1:
            raise ValueError("calibration_bands and calibration_min_samples must be ≥ 1")
        if self.max_width < 16:
            raise ValueError("max_width must be at least 16 pixels")


@dataclass(frozen=True)
class FrameCount:
    """The people estimate for one frame (numbered from 1 in feed order): ``count`` smoothed
    over the last frames, ``raw`` this frame's own."""

    frame: int
    count: float
    raw: float


@dataclass(frozen=True)
class Blob:
    """One foreground blob: its area in pixels and foot point (bottom centre)."""

    area: float
    foot_x: float
    foot_y: float
    width: int
    height: int
    whole: bool


class PersonSize:
    """The expected pixel area of one person by foot position, learned from blobs."""

    def __init__(self, settings: CounterSettings, height: int) -> None:
        self.settings = settings
        self.height = height
        self.samples: deque[tuple[float, float, float]] = deque(maxlen=settings.calibration_window)
        self.line: tuple[float, float] | None = None
        self.rows = (0.0, float(height))
        self.factor: float | None = None
        self.floor = 1.0

    @property
    def ready(self) -> bool:
        return self.line is not None or self.factor is not None

    def add(self, blob: Blob) -> None:
        if blob.whole and blob.height >= self.settings.calibration_min_aspect * blob.width:
            self.samples.append((blob.foot_x, blob.foot_y, blob.area))

    def refit(self) -> None:
        if len(self.samples) < self.settings.calibration_min_samples:
            return
        data = np.asarray(self.samples, dtype=np.float64)
        homography = self.settings.homography
        if homography is not None:
            scale = np.array([homography.pixels_per_metre(x, y) for x, y, _ in data])
            self.factor = self.typical(data[:, 2] / np.maximum(scale, 1e-9) ** 2)
            self.floor = float(np.quantile(data[:, 2], 0.05))
            return
        ys, areas = data[:, 1], data[:, 2]
        low, high = np.quantile(ys, [0.02, 0.98])
        ys = np.clip(ys, low, high)
        edges = np.linspace(low, high + 1.0, self.settings.calibration_bands + 1)
        centres, sizes, weights = [], [], []
        for lo, hi in pairwise(edges):
            inside = (ys >= lo) & (ys < hi)
            if inside.sum() < 10:
                continue
            centres.append(float(np.median(ys[inside])))
            sizes.append(float(np.sqrt(self.typical(areas[inside]))))
            weights.append(float(inside.sum()))
        if not centres:
            return
        if len(centres) == 1 or np.ptp(centres) < 1.0:
            self.line = (float(np.average(sizes, weights=weights)), 0.0)
        else:
            slope, intercept = np.polyfit(centres, sizes, 1, w=np.sqrt(weights))
            self.line = (float(intercept), float(slope))
        self.rows = (min(centres), max(centres))
        self.floor = 0.5 * min(sizes) ** 2

    def typical(self, areas: np.ndarray) -> float:
        """One person's area among these blobs' areas."""
        method = self.settings.calibration_statistic
        if method == "quantile":
            return float(np.quantile(areas, self.settings.calibration_quantile))
        if method == "weighted":
            order = np.sort(areas)
            cumulative = np.cumsum(order) / order.sum()
            return float(order[np.searchsorted(cumulative, self.settings.calibration_quantile)])
        logs = np.log(areas)
        bins = np.arange(logs.min() - 0.3, logs.max() + 0.45, 0.15)
        hist, edges = np.histogram(logs, bins=bins, weights=areas)
        hist = np.convolve(hist, np.array([1.0, 2.0, 3.0, 2.0, 1.0]), mode="same")
        peak = int(np.argmax(hist))
        return float(np.exp((edges[peak] + edges[peak + 1]) / 2.0))

    def area(self, foot_x: float, foot_y: float) -> float:
        homography = self.settings.homography
        if homography is not None and self.factor is not None:
            try:
                scale = homography.pixels_per_metre(foot_x, foot_y)
            except (ValueError, np.linalg.LinAlgError):
                return self.floor
            return max(self.factor * scale * scale, self.floor)
        assert self.line is not None
        intercept, slope = self.line
        size = intercept + slope * min(max(foot_y, self.rows[0]), self.rows[1])
        return max(size * size, self.floor) if size > 0 else self.floor


class PeopleCounter:
    """Counts people in frames fed in order from one fixed camera (see the module's text).

    ``mask``: a uint8 image of the frame's size, non-zero over the watched area (see
    :func:`~.geometry.polygon_mask`); people outside it are not counted. Every frame must have
    the first frame's size.
    """

    def __init__(
        self, settings: CounterSettings = CounterSettings(), mask: np.ndarray | None = None
    ) -> None:
        self.settings = settings
        self.mask = mask
        self.frame_number = 0
        self.shape: tuple[int, int] | None = None
        self.scale = 1.0
        self.work_mask: np.ndarray | None = None
        self.recent: deque[float] = deque(maxlen=settings.smoothing_window)
        if settings.subtractor == "mog2":
            self.subtractor: cv2.BackgroundSubtractor = cv2.createBackgroundSubtractorMOG2(
                history=settings.history, varThreshold=settings.var_threshold, detectShadows=True
            )
        else:
            self.subtractor = cv2.createBackgroundSubtractorKNN(
                history=settings.history, detectShadows=True
            )
        self.size: PersonSize | None = None

    def _start(self, frame: np.ndarray) -> None:
        rows, cols = frame.shape[:2]
        self.shape = (rows, cols)
        self.scale = min(1.0, self.settings.max_width / cols)
        work = (max(1, round(rows * self.scale)), max(1, round(cols * self.scale)))
        if self.mask is not None:
            if self.mask.shape[:2] != (rows, cols):
                raise ValueError(
                    f"the mask is {self.mask.shape[1]}x{self.mask.shape[0]} pixels but the "
                    f"frames are {cols}x{rows}"
                )
            mask: np.ndarray = np.where(self.mask > 0, 255, 0).astype(np.uint8)
            if self.scale < 1.0:
                mask = cv2.resize(mask, (work[1], work[0]), interpolation=cv2.INTER_NEAREST)
            self.work_mask = mask
        settings = self.settings
        if settings.homography is not None and self.scale < 1.0:
            settings = _replace_homography(settings, settings.homography.scaled(self.scale))
        self.size = PersonSize(settings, work[0])
        pixels = work[0] * work[1]
        self.min_area = max(4.0, settings.min_blob_fraction * pixels)
        unit = work[1] / 480.0
        self.open_kernel = _kernel(settings.open_px * unit)
        self.close_kernel = _kernel(settings.close_px * unit)

    def feed(self, frame: np.ndarray) -> FrameCount:
        """Take the next BGR uint8 frame; return its estimate."""
        if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
            raise ValueError(f"a frame must be BGR uint8 (rows, columns, 3), got {frame.shape}")
        if self.shape is None:
            self._start(frame)
        elif frame.shape[:2] != self.shape:
            raise ValueError(
                f"frame {self.frame_number + 1} is {frame.shape[1]}x{frame.shape[0]} pixels, "
                f"the first was {self.shape[1]}x{self.shape[0]}"
            )
        assert self.size is not None
        self.frame_number += 1
        if self.scale < 1.0:
            frame = cv2.resize(
                frame, None, fx=self.scale, fy=self.scale, interpolation=cv2.INTER_AREA
            )
        blobs = self._blobs(frame)
        for blob in blobs:
            self.size.add(blob)
        if self.frame_number % self.settings.calibration_every == 0 or not self.size.ready:
            self.size.refit()
        raw = self._count(blobs)
        self.recent.append(raw)
        return FrameCount(self.frame_number, float(np.median(self.recent)), raw)

    def _blobs(self, frame: np.ndarray) -> list[Blob]:
        if self.settings.blur_px > 1:
            side = self.settings.blur_px | 1
            frame = cv2.GaussianBlur(frame, (side, side), 0)
        foreground = self.subtractor.apply(frame)
        _, binary = cv2.threshold(foreground, 200, 255, cv2.THRESH_BINARY)
        binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, self.open_kernel)
        binary = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, self.close_kernel)
        if self.work_mask is not None:
            binary = cv2.bitwise_and(binary, self.work_mask)
        found, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
        rows, cols = binary.shape
        blobs = []
        for left, top, width, height, area in stats[1:found]:
            if area < self.min_area:
                continue
            whole = left > 0 and top > 0 and left + width < cols and top + height < rows
            blobs.append(
                Blob(
                    area=float(area),
                    foot_x=float(left + width / 2.0),
                    foot_y=float(top + height),
                    width=int(width),
                    height=int(height),
                    whole=bool(whole),
                )
            )
        return blobs

    def _count(self, blobs: list[Blob]) -> float:
        assert self.size is not None
        if not self.size.ready:
            return float(sum(1 for blob in blobs if blob.area >= 4 * self.min_area))
        total = 0.0
        for blob in blobs:
            share = blob.area / self.size.area(blob.foot_x, blob.foot_y)
            if share >= self.settings.min_person_share:
                total += share
        return total


def _kernel(size: float) -> np.ndarray:
    side = max(1, round(size))
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))


def _replace_homography(settings: CounterSettings, homography: Homography) -> CounterSettings:
    return replace(settings, homography=homography)


def open_video(source: str) -> cv2.VideoCapture:
    """Open a video file path or an rtsp/http URL; ValueError if it cannot be read."""
    capture = cv2.VideoCapture(source)
    if not capture.isOpened():
        capture.release()
        raise ValueError(f"cannot open video {source!r} (missing, unreadable or not a video)")
    return capture


def check_range(frames: tuple[int, int] | None) -> tuple[int, int | None]:
    """The inclusive 1-based range (first, last or None for to the end); ValueError if bad."""
    if frames is None:
        return 1, None
    first, last = frames
    if first < 1 or last < first:
        raise ValueError(
            f"bad frame range {first}-{last}: frames are numbered from 1 and the range's "
            "end must not be before its start"
        )
    return first, last


def read_frames(
    capture: cv2.VideoCapture, source: str, first: int, last: int | None
) -> Iterator[tuple[int, np.ndarray]]:
    """(number, frame) for every frame up to ``last``; ValueError if the video ends first."""
    number = 0
    try:
        while last is None or number < last:
            ok, frame = capture.read()
            if not ok:
                if number == 0:
                    raise ValueError(f"video {source!r} has no readable frames")
                if last is not None or number < first:
                    raise ValueError(
                        f"video {source!r} ended at frame {number}, before the end of the range "
                        f"{first}-{last if last is not None else 'end'}"
                    )
                return
            number += 1
            yield number, frame
    finally:
        capture.release()


def count_video(
    source: str,
    frames: tuple[int, int] | None = None,
    settings: CounterSettings = CounterSettings(),
    mask: np.ndarray | None = None,
) -> Iterator[FrameCount]:
    """Count people in a video file or stream (``cv2.VideoCapture`` source).

    ``frames`` is an inclusive 1-based range; the frames before its start are still fed to the
    background model and the size calibration (warm-up) but not yielded. Opening the video and
    checking the range happen at the call (ValueError); a video that ends before the range does
    raises ValueError while iterating.
    """
    first, last = check_range(frames)
    capture = open_video(source)
    return _count_frames(read_frames(capture, source, first, last), first, settings, mask)


def _count_frames(
    frames: Iterator[tuple[int, np.ndarray]],
    first: int,
    settings: CounterSettings,
    mask: np.ndarray | None,
) -> Iterator[FrameCount]:
    counter = PeopleCounter(settings, mask)
    for number, frame in frames:
        result = counter.feed(frame)
        if number >= first:
            yield result
