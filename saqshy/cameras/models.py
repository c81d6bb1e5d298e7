"""Cameras watching crowded places.

A ``Camera`` is a fixed camera of an owner agency: where it stands, which way it looks, the
ground area it watches (a GeoJSON polygon whose area in m² is kept beside it), where its
stream comes from, and an optional calibration: four points of its image matched to four
ground positions, a homography that turns people counted in the image into persons per m².

A ``DensityReading`` is one count of people in a camera's watched area at a moment, with the
density it makes (persons per m²) and its level against the crowd norms. A ``CrowdEpisode``
is one stretch of dangerous density at a camera: the incident it opened and its peak; the
readings that follow join it instead of opening another incident (``services.record_count``).
A ``CameraSnapshot`` is one still image kept with an incident, only where the camera's owner
allows it.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.algorithms.osm.capacity import geodesic_area_m2
from saqshy.cameras import calibration as calibration_rules
from saqshy.cameras import journal as _journal_codes  # noqa: F401  (defines the line codes)
from saqshy.cameras.choices import DENSITY_LEVELS, DensityLevel
from saqshy.core.models import BaseModel, latitude_field, longitude_field


class Camera(BaseModel):
    """A fixed camera: location, bearing, watched ground area, stream, owner, calibration."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("venue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cameras",
        help_text=_("The crowded place the camera watches, if any."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    lat = latitude_field()
    lon = longitude_field()
    bearing = models.PositiveSmallIntegerField(
        _("bearing, degrees"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(359)],
        help_text=_("Where the camera looks, clockwise from north."),
    )
    watched_area = models.JSONField(
        _("watched ground area (GeoJSON polygon)"), null=True, blank=True
    )
    watched_area_m2 = models.FloatField(
        _("watched area, m²"),
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(0)],
    )
    stream_url = models.CharField(
        _("stream"),
        max_length=500,
        blank=True,
        help_text=_("An rtsp:// or http(s):// address, or a video file on the analytics server."),
    )
    owner = models.ForeignKey(
        Agency, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="cameras"
    )
    calibration = models.JSONField(
        _("calibration"),
        null=True,
        blank=True,
        help_text=_(
            "Four image points (pixels) and the four ground positions (longitude, latitude) "
            "they show."
        ),
    )
    snapshots_allowed = models.BooleanField(
        _("snapshots allowed"),
        default=False,
        help_text=_("The owner allows one still image to be kept with an incident."),
    )
    is_active = models.BooleanField(_("in service"), default=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering: ClassVar = ["region", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.watched_area is not None:
            area = _polygon_area(self.watched_area)
            if area is None:
                errors["watched_area"] = [_("Draw the watched area as one closed polygon.")]
        if self.calibration is not None:
            found = calibration_rules.problems(self.calibration)
            if found:
                errors["calibration"] = [
                    _CALIBRATION_PROBLEMS[(part, kind)] for part, kind in sorted(found.items())
                ]
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.watched_area_m2 = _polygon_area(self.watched_area) if self.watched_area else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "watched_area" in update_fields:
            kwargs["update_fields"] = {*update_fields, "watched_area_m2"}
        super().save(*args, **kwargs)


def _polygon_area(geometry: Any) -> float | None:
    """Area in m² of a GeoJSON Polygon in lon/lat, or None when it is not a valid polygon."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        return None
    try:
        area = geodesic_area_m2(geometry)
    except (ValueError, TypeError, AttributeError):
        return None
    return area if area > 0 else None


_CALIBRATION_PROBLEMS = {
    ("image", "shape"): _("Give four image points, each as two pixel numbers (x, y)."),
    ("image", "range"): _("Image points are pixels: x and y cannot be negative."),
    ("image", "same"): _("Two of the four image points are the same: give four distinct points."),
    ("image", "line"): _(
        "Three of the four image points lie on one line: pick four corners of a quadrilateral."
    ),
    ("ground", "shape"): _("Give four ground points, each as a longitude and a latitude."),
    ("ground", "range"): _(
        "A ground point lies outside the globe: longitude −180…180, latitude −90…90."
    ),
    ("ground", "same"): _("Two of the four ground points are the same: give four distinct points."),
    ("ground", "line"): _(
        "Three of the four ground points lie on one line: pick four corners of a quadrilateral."
    ),
}


class CrowdEpisode(BaseModel):
    """One stretch of dangerous crowd density at a camera and the incident it opened.

    It starts with a reading at or above the critical norm and lasts while the density stays
    at or above the warning norm, or its incident is open; it ends once the density has been
    below the warning norm for the hold time (norm ``crowd_density_hold_minutes``) and the
    incident is no longer open. Readings inside it join it (its peak follows them).
    """

    camera = models.ForeignKey(
        Camera, verbose_name=_("camera"), on_delete=models.CASCADE, related_name="episodes"
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="crowd_episodes",
    )
    started_at = models.DateTimeField(_("started at"))
    peak_density = models.FloatField(_("peak density, persons/m²"))
    peak_count = models.PositiveIntegerField(_("people at the peak"))
    peak_at = models.DateTimeField(_("peak at"))
    below_since = models.DateTimeField(
        _("below the warning norm since"),
        null=True,
        blank=True,
        help_text=_(
            "The first of the readings below the warning norm that followed the last one "
            "at or above it."
        ),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    scope_region_field: ClassVar[str | None] = "camera__region"

    class Meta:
        verbose_name = _("crowd density episode")
        verbose_name_plural = _("crowd density episodes")
        ordering: ClassVar = ["-started_at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["camera", "ended_at"], name="crowdepisode_camera_open"),
        ]

    def __str__(self) -> str:
        return f"{self.camera} {self.started_at:%d.%m.%Y %H:%M}"


class DensityReading(BaseModel):
    """People counted in a camera's watched area at one moment, and the density they make.

    ``density`` is ``count / watched_area_m2`` (persons per m², two decimals), None when the
    camera has no watched area; ``level`` places it against the region's crowd norms as they
    were when it arrived. Telemetry: not audited one by one; what is decided from it (an
    incident opened) is. Thinned and pruned by ``services.prune_readings``.
    """

    camera = models.ForeignKey(
        Camera, verbose_name=_("camera"), on_delete=models.CASCADE, related_name="readings"
    )
    at = models.DateTimeField(_("at"))
    count = models.PositiveIntegerField(_("people counted"))
    density = models.FloatField(_("density, persons/m²"), null=True, blank=True)
    level = models.CharField(
        _("level"), max_length=10, choices=DENSITY_LEVELS, default=DensityLevel.UNKNOWN
    )
    episode = models.ForeignKey(
        CrowdEpisode,
        verbose_name=_("crowd density episode"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readings",
    )

    scope_region_field: ClassVar[str | None] = "camera__region"

    class Meta:
        verbose_name = _("density reading")
        verbose_name_plural = _("density readings")
        ordering: ClassVar = ["-at", "-id"]
        indexes: ClassVar = [models.Index(fields=["camera", "at"], name="densityreading_camera_at")]

    def __str__(self) -> str:
        return f"{self.camera} {self.at:%d.%m.%Y %H:%M}: {self.count}"

    @property
    def colour(self) -> str:
        return DensityLevel.colour(self.level)


def _snapshot_path(instance: Any, filename: str) -> str:
    # Never a caller's name: the file is named by the incident and a random id.
    return f"camera-snapshots/{instance.incident_id}/{uuid.uuid4().hex}.jpg"


class CameraSnapshot(BaseModel):
    """One still image from a camera kept with an incident, where the camera's owner allows it.

    Stored under ``MEDIA_ROOT`` and never served from a public URL: the image page shows it
    only to those who may see the incident, and every view is audited.
    """

    camera = models.ForeignKey(
        Camera, verbose_name=_("camera"), on_delete=models.PROTECT, related_name="snapshots"
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="camera_snapshots",
    )
    image = models.FileField(_("image"), upload_to=_snapshot_path)
    taken_at = models.DateTimeField(_("taken at"))
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kept by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field: ClassVar[str | None] = "incident__region"

    class Meta:
        verbose_name = _("camera snapshot")
        verbose_name_plural = _("camera snapshots")
        ordering: ClassVar = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"{self.camera} {self.taken_at:%d.%m.%Y %H:%M}"
