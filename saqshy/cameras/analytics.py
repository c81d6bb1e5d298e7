"""The analytics worker: frames from a camera's stream, people counted in its watched area,
density readings stored through :func:`saqshy.cameras.services.record_count`.

A camera is analysed when it is in service, has a stream, a watched area and a calibration.
The calibration's four image points and four ground points (longitude, latitude) give the
ground-plane homography; the watched area, projected through it into the picture, is the
mask inside which people are counted (:mod:`saqshy.algorithms.vision`). The counter learns a
person's size in the picture from the footage itself; the calibration only places the area.

Every ``every`` seconds of video (frames over the stream's frame rate) one reading is
stored: the mean of the counter's smoothed per-frame counts over that stretch, rounded to a
whole person. Its time is the moment it is stored (the worker runs on live streams; a file
replayed for a test is stamped as it is analysed). No frame is stored, but one: when a reading
opens a crowd-density incident and the camera's owner allows snapshots, the frame of that
moment is kept with the incident (``attach_snapshot``, audited).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from django.utils import timezone

from saqshy.algorithms.vision import (
    CounterSettings,
    FrameCount,
    Homography,
    PeopleCounter,
    polygon_mask,
)
from saqshy.algorithms.vision.counter import check_range, open_video, read_frames
from saqshy.cameras import services
from saqshy.cameras.calibration import Plane, problems
from saqshy.cameras.models import Camera, DensityReading

log = logging.getLogger(__name__)

DEFAULT_FPS = 10.0


def why_not_analysed(camera: Camera) -> str:
    """Empty when the camera can be analysed, else the reason (for the worker's log)."""
    if not camera.is_active:
        return "out of service"
    if not camera.stream_url:
        return "no stream"
    if not camera.watched_area:
        return "no watched area"
    if not camera.calibration or problems(camera.calibration):
        return "not calibrated"
    return ""


def homography(camera: Camera) -> tuple[Homography, Plane]:
    """The camera's image → ground (local metres) homography and its local plane."""
    calibration = camera.calibration or {}
    ground_points = [(float(lon), float(lat)) for lon, lat in calibration["ground"]]
    plane = Plane(*ground_points[0])
    image = [(float(x), float(y)) for x, y in calibration["image"]]
    return Homography.from_points(image, [plane.metres(lon, lat) for lon, lat in ground_points]), (
        plane
    )


def watched_mask(camera: Camera, shape: tuple[int, int]) -> np.ndarray:
    """The watched area drawn into the picture (``shape`` = rows, columns) as a mask."""
    projection, plane = homography(camera)
    ring = (camera.watched_area or {}).get("coordinates", [[]])[0]
    corners = [
        projection.ground_to_image(*plane.metres(float(lon), float(lat))) for lon, lat in ring
    ]
    return polygon_mask(shape, corners)


@dataclass
class Analysis:
    """What one pass over a stream did: frames counted, readings stored."""

    frames: list[FrameCount] = field(default_factory=list)
    readings: list[DensityReading] = field(default_factory=list)


def analyse(
    camera: Camera,
    *,
    acting_user: Any = None,
    source: str | None = None,
    frames: tuple[int, int] | None = None,
    every: float = 10.0,
    settings: CounterSettings | None = None,
    on_frame: Callable[[FrameCount], None] | None = None,
) -> Analysis:
    """Count people in ``camera``'s stream (or ``source``, a file or URL, instead) and store a
    reading every ``every`` seconds of video; ``frames`` (1-based, inclusive) limits what is
    counted, the frames before it warm the counter up. Stops at the end of the stream.

    ValueError (with the reason) for a camera that cannot be analysed or a video that cannot
    be read; the readings are stored by ``record_count`` and refused as it refuses them.
    """
    reason = why_not_analysed(camera)
    if reason and not (source and reason == "no stream"):
        raise ValueError(f"camera {camera.pk} cannot be analysed: {reason}")
    if every <= 0:
        raise ValueError("every must be a positive number of seconds")
    stream = source or camera.stream_url
    first, last = check_range(frames)
    capture = open_video(stream)
    fps = float(capture.get(5) or 0.0)  # cv2.CAP_PROP_FPS
    per_reading = max(1, round(every * (fps if fps > 0 else DEFAULT_FPS)))
    result = Analysis()
    counter: PeopleCounter | None = None
    pending: list[float] = []
    last_image: np.ndarray | None = None
    for number, image in read_frames(capture, stream, first, last):
        if counter is None:
            counter = PeopleCounter(
                settings or CounterSettings(), watched_mask(camera, image.shape[:2])
            )
        counted = counter.feed(image)
        if number < first:
            continue
        result.frames.append(counted)
        if on_frame is not None:
            on_frame(counted)
        pending.append(counted.count)
        last_image = image
        if len(pending) >= per_reading:
            result.readings.append(_store(camera, acting_user, pending, last_image))
            pending = []
    if pending:
        result.readings.append(_store(camera, acting_user, pending, last_image))
    return result


def _store(
    camera: Camera, acting_user: Any, counts: Sequence[float], image: np.ndarray | None
) -> DensityReading:
    count = max(0, round(sum(counts) / len(counts)))
    reading = services.record_count(
        acting_user=acting_user, camera=camera, at=timezone.now(), count=count
    )
    episode = reading.episode
    opened = episode is not None and episode.started_at == reading.at
    if opened and image is not None and episode is not None and episode.incident is not None:
        camera.refresh_from_db(fields=["snapshots_allowed"])
        if camera.snapshots_allowed:
            ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
            if ok:
                services.attach_snapshot(
                    acting_user=acting_user,
                    camera=camera,
                    incident=episode.incident,
                    image_bytes=jpeg.tobytes(),
                    taken_at=reading.at,
                )
    return reading
