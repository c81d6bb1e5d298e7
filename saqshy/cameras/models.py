"""Cameras watching crowded places.

A ``Camera`` is a fixed camera of an owner agency: where it stands, which way it looks, the
ground area it watches (a GeoJSON polygon whose area in m² is kept beside it), where its
stream comes from, and an optional calibration: four points of its image matched to four
ground positions, a homography that turns people counted in the image into persons per m².
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.algorithms.osm.capacity import geodesic_area_m2
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
