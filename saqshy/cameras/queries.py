"""Read helpers of the cameras app: the density level against the norms, the latest reading
of each camera, the cameras near a place or watching a venue, a camera's time series and what
the map's camera layer draws."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from saqshy.accounts.queries import norm
from saqshy.algorithms.geo import bounding_box, haversine_m
from saqshy.cameras.choices import DensityLevel
from saqshy.cameras.models import Camera, CrowdEpisode, DensityReading

# A reading older than this no longer colours a camera: the map shows it grey.
RECENT = dt.timedelta(minutes=15)
# Cameras this close to an incident or an event are listed with it.
NEAR_M = 500.0


@dataclass(frozen=True)
class Norms:
    """The crowd norms of one region, persons per m²."""

    warning: float
    critical: float

    def level(self, density: float | None) -> str:
        if density is None:
            return DensityLevel.UNKNOWN
        if density >= self.critical:
            return DensityLevel.CRITICAL
        if density >= self.warning:
            return DensityLevel.WARNING
        return DensityLevel.NORMAL


def norms(region_id: int | None) -> Norms:
    return Norms(
        norm("crowd_density_warning", region_id), norm("crowd_density_critical", region_id)
    )


def hold(region_id: int | None) -> dt.timedelta:
    return dt.timedelta(minutes=norm("crowd_density_hold_minutes", region_id))


def with_latest(cameras: QuerySet[Camera]) -> QuerySet[Camera]:
    """``cameras`` annotated with their latest reading (``latest_at``, ``latest_count``,
    ``latest_density``, ``latest_level``), in one query however many cameras there are."""
    latest = DensityReading.objects.filter(camera=OuterRef("pk")).order_by("-at", "-id")
    return cameras.annotate(
        latest_at=Subquery(latest.values("at")[:1]),
        latest_count=Subquery(latest.values("count")[:1]),
        latest_density=Subquery(latest.values("density")[:1]),
        latest_level=Subquery(latest.values("level")[:1]),
    )


def current_level(camera: Any, now: dt.datetime | None = None) -> str:
    """The level a camera annotated by :func:`with_latest` shows now: its latest reading's,
    or unknown when that is older than ``RECENT``."""
    at = getattr(camera, "latest_at", None)
    if at is None or (now or timezone.now()) - at > RECENT:
        return DensityLevel.UNKNOWN
    return str(getattr(camera, "latest_level", None) or DensityLevel.UNKNOWN)


@dataclass(frozen=True)
class NearCamera:
    """A camera near a place: how far (metres) and the level it shows now."""

    camera: Camera
    distance_m: float
    level: str

    @property
    def colour(self) -> str:
        return DensityLevel.colour(self.level)

    @property
    def level_label(self) -> str:
        return str(DensityLevel.label(self.level))


def cameras_near(
    lat: float,
    lon: float,
    radius_m: float,
    *,
    cameras: QuerySet[Camera] | None = None,
    venue_id: int | None = None,
    active_only: bool = True,
) -> list[NearCamera]:
    """Cameras within ``radius_m`` metres of (``lat``, ``lon``), nearest first, plus those
    watching the venue ``venue_id`` wherever they stand; each with its latest reading
    (``camera.latest_*``) and the level it shows now.

    ``cameras`` is the queryset to search (pass ``Camera.objects.restrict(user, "view")`` to
    keep to a user's grants; default: every camera); ``active_only`` leaves out cameras out
    of service.
    """
    rows = cameras if cameras is not None else Camera.objects.all()
    if active_only:
        rows = rows.filter(is_active=True)
    min_lat, min_lon, max_lat, max_lon = bounding_box(float(lat), float(lon), float(radius_m))
    box = rows.filter(lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon))
    found: dict[int, tuple[Camera, float]] = {}
    for camera in with_latest(box).select_related("facility", "owner", "region"):
        distance = haversine_m(float(lat), float(lon), camera.lat, camera.lon)
        if distance <= radius_m:
            found[camera.pk] = (camera, distance)
    if venue_id is not None:
        watching = with_latest(rows.filter(facility_id=venue_id).exclude(pk__in=list(found)))
        for camera in watching.select_related("facility", "owner", "region"):
            found[camera.pk] = (camera, haversine_m(float(lat), float(lon), camera.lat, camera.lon))
    now = timezone.now()
    near = [NearCamera(c, round(d, 1), current_level(c, now)) for c, d in found.values()]
    return sorted(near, key=lambda n: (n.distance_m, n.camera.name, n.camera.pk))


def open_episode(camera: Camera) -> CrowdEpisode | None:
    episode: CrowdEpisode | None = (
        CrowdEpisode.objects.filter(camera=camera, ended_at=None).select_related("incident").first()
    )
    return episode


def series(camera: Camera, since: dt.datetime) -> list[dict[str, Any]]:
    """The camera's readings since ``since``, oldest first, for its chart."""
    rows = (
        DensityReading.objects.filter(camera=camera, at__gte=since)
        .order_by("at", "id")
        .values_list("at", "count", "density")
    )
    return [
        {"at": at.isoformat(), "count": count, "density": density} for at, count, density in rows
    ]


def map_features(user: Any) -> list[dict[str, Any]]:
    """What the map's camera layer draws, cut to ``user``'s view grants: each camera in
    service with its address, venue, watched area and the level it shows now (no stream
    address, no calibration)."""
    visible: Any = Camera.objects.restrict(user, "view").filter(is_active=True)
    now = timezone.now()
    features = []
    camera: Any
    for camera in with_latest(visible).select_related("facility", "owner"):
        level = current_level(camera, now)
        features.append(
            {
                "id": camera.pk,
                "name": camera.name,
                "address": camera.address,
                "venue": camera.facility.display_name if camera.facility_id else "",
                "lat": camera.lat,
                "lon": camera.lon,
                "area": camera.watched_area,
                "area_m2": round(camera.watched_area_m2) if camera.watched_area_m2 else None,
                "density": camera.latest_density if level != DensityLevel.UNKNOWN else None,
                "count": camera.latest_count if level != DensityLevel.UNKNOWN else None,
                "level": level,
                "level_label": str(DensityLevel.label(level)),
                "colour": DensityLevel.colour(level),
            }
        )
    return features
