"""People counting for fixed cameras, without Django: a background-model counter with a
self-calibrated person size, the OpenCV HOG baseline, and the image/ground geometry."""

from saqshy.algorithms.vision.counter import (
    CounterSettings,
    FrameCount,
    PeopleCounter,
    count_video,
)
from saqshy.algorithms.vision.geometry import Homography, polygon_mask
from saqshy.algorithms.vision.hog import HogCounter, HogSettings, hog_counts

__all__ = [
    "CounterSettings",
    "FrameCount",
    "HogCounter",
    "HogSettings",
    "Homography",
    "PeopleCounter",
    "count_video",
    "hog_counts",
    "polygon_mask",
]
