"""The baseline: OpenCV's default HOG people detector (Dalal–Triggs, shipped inside OpenCV 4).

Each frame is enlarged (the detector's window is 64×128 pixels, bigger than distant people in
a 480×360 frame), scanned, and the overlapping detections merged by non-maximum suppression;
the count is the number of detections whose foot point lies in the mask. It knows nothing of
the scene: no background model, no calibration, no temporal smoothing unless asked.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from saqshy.algorithms.vision.counter import FrameCount, check_range, open_video, read_frames


@dataclass(frozen=True)
class HogSettings:
    """upscale: frame enlargement before detection; win_stride, scale: the detector's scan
    step (pixels) and pyramid factor; hit_threshold: SVM margin for a detection; nms_overlap:
    intersection over union above which two detections are one person; smoothing_window:
    frames in the running median of the count (1 = none, the plain detector)."""

    upscale: float = 2.0
    win_stride: int = 8
    scale: float = 1.05
    hit_threshold: float = 0.0
    nms_overlap: float = 0.4
    smoothing_window: int = 1


class HogCounter:
    """Counts people per frame with the default HOG detector; same output as PeopleCounter."""

    def __init__(self, settings: HogSettings = HogSettings(), mask: np.ndarray | None = None):
        self.settings = settings
        self.mask = mask
        self.hog = cv2.HOGDescriptor()
        self.hog.setSVMDetector(np.asarray(cv2.HOGDescriptor.getDefaultPeopleDetector()))
        self.frame_number = 0
        self.recent: deque[float] = deque(maxlen=max(1, settings.smoothing_window))

    def detect(self, frame: np.ndarray) -> list[tuple[float, float, float, float]]:
        """People boxes (left, top, width, height) in the frame's own pixels."""
        s = self.settings
        big = cv2.resize(frame, None, fx=s.upscale, fy=s.upscale, interpolation=cv2.INTER_LINEAR)
        boxes, weights = self.hog.detectMultiScale(
            big,
            hitThreshold=s.hit_threshold,
            winStride=(s.win_stride, s.win_stride),
            padding=(8, 8),
            scale=s.scale,
        )
        if len(boxes) == 0:
            return []
        scores = np.asarray(weights, dtype=np.float64).reshape(-1).tolist()
        rects = [[int(v) for v in box] for box in boxes]
        keep = cv2.dnn.NMSBoxes(rects, scores, s.hit_threshold, s.nms_overlap)
        found = []
        for i in np.asarray(keep).reshape(-1):
            left, top, width, height = (v / s.upscale for v in rects[int(i)])
            found.append((left, top, width, height))
        return found

    def feed(self, frame: np.ndarray) -> FrameCount:
        self.frame_number += 1
        boxes = self.detect(frame)
        if self.mask is not None:
            rows, cols = self.mask.shape[:2]
            boxes = [
                b
                for b in boxes
                if self.mask[min(rows - 1, int(b[1] + b[3])), min(cols - 1, int(b[0] + b[2] / 2))]
            ]
        raw = float(len(boxes))
        self.recent.append(raw)
        return FrameCount(self.frame_number, float(np.median(self.recent)), raw)


def hog_counts(
    source: str,
    frames: tuple[int, int] | None = None,
    settings: HogSettings = HogSettings(),
    mask: np.ndarray | None = None,
) -> Iterator[FrameCount]:
    """The HOG baseline over a video, like :func:`~.counter.count_video` (the frames before the
    range are skipped undetected: the detector needs no warm-up)."""
    first, last = check_range(frames)
    capture = open_video(source)
    return _hog_frames(read_frames(capture, source, first, last), first, settings, mask)


def _hog_frames(
    frames: Iterator[tuple[int, np.ndarray]],
    first: int,
    settings: HogSettings,
    mask: np.ndarray | None,
) -> Iterator[FrameCount]:
    counter = HogCounter(settings, mask)
    for number, frame in frames:
        if number < first:
            counter.frame_number += 1
            continue
        yield counter.feed(frame)
