"""The demo's cameras: Astana's police cameras over the squares of the New Year season's big
outdoor events (the fireworks at Baiterek on New Year's Eve, the main tree on Independence
Square, the winter festival at EXPO, the ice town in the Central Park, the fair on Nurzhol
boulevard: ``season.SQUARES``), each calibrated and watching a patch of ground of a few hundred
to a thousand square metres in front of it, with the last three hours of crowd counts so the
charts and the map's colours have something to show: the crowd on Independence Square is at
the warning norm (amber), the others below it.

Everything goes through the camera services as the region's coordinator (audited). The
counts rise towards now; below the critical norm, so the demo opens no crowd incident.
Idempotent: a second run finds the cameras by name and only tops the counts up to now (one
every five minutes, never two at one time), so the colours are fresh again after a reload.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from saqshy.accounts.models import Agency, Region, User
from saqshy.cameras import services
from saqshy.cameras.models import Camera, DensityReading
from saqshy.core.scoping import user_scope

METRES_PER_DEGREE = 111_320.0
HISTORY = dt.timedelta(hours=3)
STEP = dt.timedelta(minutes=5)
# The pixel corners of a 1920×1080 frame that show the near-left, near-right, far-right and
# far-left corners of the watched ground (a trapezoid: the far edge looks shorter).
FRAME = [[240, 1000], [1680, 1000], [1260, 430], [660, 430]]


@dataclass(frozen=True)
class DemoCamera:
    name: str
    label: str  # the place in words
    lat: float
    lon: float
    bearing: int  # where it looks, degrees from north
    ahead_m: float  # from the camera to the middle of the watched ground
    width_m: float
    depth_m: float
    density: float  # persons/m² the crowd reaches now
    snapshots: bool


CAMERAS = [
    DemoCamera(
        "Бәйтерек, шығыс алаң",
        "Нұржол бульвары, Бәйтерек",
        51.12830,
        71.43230,
        270,
        60,
        30,
        30,
        3.1,
        True,
    ),
    DemoCamera(
        "Бәйтерек, батыс алаң",
        "Нұржол бульвары, Бәйтерек",
        51.12822,
        71.42880,
        90,
        55,
        30,
        25,
        2.6,
        True,
    ),
    DemoCamera(
        "Тәуелсіздік алаңы, шырша",
        "Тәуелсіздік алаңы",
        51.12330,
        71.47160,
        180,
        60,
        40,
        30,
        4.3,
        False,
    ),
    DemoCamera(
        "EXPO, Нұр Әлем алаңы",
        "EXPO, Мәңгілік Ел даңғылы",
        51.08965,
        71.41586,
        180,
        55,
        35,
        35,
        2.2,
        False,
    ),
    DemoCamera(
        "Орталық саябақ, мұз қалашығы",
        "Орталық саябақ",
        51.15535,
        71.41850,
        0,
        40,
        30,
        20,
        1.8,
        False,
    ),
    DemoCamera(
        "Нұржол бульвары, жәрмеңке",
        "Нұржол бульвары",
        51.12600,
        71.44010,
        270,
        45,
        20,
        40,
        1.5,
        False,
    ),
]


@dataclass
class CamerasResult:
    created: int = 0
    readings: int = 0
    warning: str = ""


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (
        lat + north_m / METRES_PER_DEGREE,
        lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
    )


def _ground(spec: DemoCamera) -> list[list[float]]:
    """The watched ground's corners ([lon, lat]): near-left, near-right, far-right, far-left."""
    heading = math.radians(spec.bearing)
    ahead = (math.cos(heading), math.sin(heading))  # (north, east) unit vector
    right = (-ahead[1], ahead[0])
    corners = []
    for along, across in (
        (spec.ahead_m - spec.depth_m / 2, -spec.width_m / 2),
        (spec.ahead_m - spec.depth_m / 2, spec.width_m / 2),
        (spec.ahead_m + spec.depth_m / 2, spec.width_m / 2),
        (spec.ahead_m + spec.depth_m / 2, -spec.width_m / 2),
    ):
        north = along * ahead[0] + across * right[0]
        east = along * ahead[1] + across * right[1]
        lat, lon = _offset(spec.lat, spec.lon, north, east)
        corners.append([round(lon, 7), round(lat, 7)])
    return corners


def _counts(
    spec: DemoCamera, area: float, start: dt.datetime, now: dt.datetime
) -> list[tuple[dt.datetime, int]]:
    """A crowd building up towards now (the evening of an outdoor event), with a small wobble."""
    steps = []
    at = start
    while at <= now:
        left = (now - at) / HISTORY  # 1 three hours ago, 0 now
        share = max(0.15, 1 - 0.85 * left) * (1 + 0.04 * math.sin(at.timestamp() / 900))
        steps.append((at, round(min(share, 1.0) * spec.density * area)))
        at += STEP
    return steps


def load_cameras(region_slug: str = "astana") -> CamerasResult:
    result = CamerasResult()
    region = Region.objects.get(slug=region_slug)
    owner = Agency.objects.get(code=f"police-{region_slug}")
    coordinator: Any = User.objects.filter(username=f"coordinator_{region_slug}").first()
    if coordinator is not None and user_scope(coordinator, Camera, "add").empty:
        coordinator = None
    now = timezone.now().replace(second=0, microsecond=0)
    for number, spec in enumerate(CAMERAS, start=1):
        camera = Camera.objects.filter(name=spec.name, region=region).first()
        if camera is None:
            ground = _ground(spec)
            camera = services.create_camera(
                acting_user=coordinator,
                name=spec.name,
                # The squares are open ground, not facilities: the events there find the
                # cameras by distance. The place in words, as the duty officer calls it.
                facility=None,
                address=spec.label,
                lat=spec.lat,
                lon=spec.lon,
                bearing=spec.bearing,
                watched_area={"type": "Polygon", "coordinates": [[*ground, ground[0]]]},
                stream_url=f"rtsp://video.police.{region_slug}.kz/squares/{number:02d}",
                owner=owner,
                calibration={"image": FRAME, "ground": ground},
                snapshots_allowed=spec.snapshots,
            )
            result.created += 1
        last = DensityReading.objects.filter(camera=camera).order_by("-at").first()
        start = now - HISTORY if last is None else max(last.at + STEP, now - HISTORY)
        for at, count in _counts(spec, camera.watched_area_m2 or 0, start, now):
            services.record_count(acting_user=coordinator, camera=camera, at=at, count=count)
            result.readings += 1
        if spec.density >= 4:
            result.warning = spec.name
    return result
