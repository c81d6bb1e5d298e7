"""Weather warnings for a region and, optionally, road segments in it.

A ``WeatherWarning`` comes from the road-weather rules over the real hourly weather
(``source=rule``; ``algorithms.road_weather``) or is entered by hand. It says what hazard,
how severe, from when until when, and the worst values observed. A warning with segments
proposes closing them: the road authority confirms it (the segments close, the closures are
kept on the warning) or dismisses it; a proposed warning whose time has passed expires.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.core.models import BaseModel
from saqshy.roads.models import Closure, Segment
from saqshy.weather.choices import (
    WARNING_KINDS,
    WARNING_LEVELS,
    WARNING_SOURCES,
    WARNING_STATUSES,
    WarningKind,
    WarningLevel,
    WarningSource,
    WarningStatus,
)


class WeatherWarning(BaseModel):
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="weather_warnings",
    )
    segments = models.ManyToManyField(
        Segment,
        verbose_name=_("road segments"),
        related_name="weather_warnings",
        blank=True,
    )
    kind = models.CharField(_("hazard"), max_length=16, choices=WARNING_KINDS)
    level = models.CharField(_("level"), max_length=8, choices=WARNING_LEVELS)
    source = models.CharField(
        _("source"), max_length=8, choices=WARNING_SOURCES, default=WarningSource.MANUAL
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    min_temperature_c = models.FloatField(_("lowest temperature, °C"), null=True, blank=True)
    max_gust_kmh = models.FloatField(_("strongest gust, km/h"), null=True, blank=True)
    snowfall_cm = models.FloatField(_("snowfall, cm"), null=True, blank=True)
    visibility_m = models.FloatField(_("visibility, m"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=WARNING_STATUSES, default=WarningStatus.PROPOSED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or dismissed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closures = models.ManyToManyField(
        Closure,
        verbose_name=_("road closures"),
        related_name="weather_warnings",
        blank=True,
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("weather warning")
        verbose_name_plural = _("weather warnings")
        ordering: ClassVar = ["-starts_at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["status", "ends_at"]),
            models.Index(fields=["region", "kind", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.region}"

    @property
    def colour(self) -> str:
        return WarningLevel.colour(self.level)

    @property
    def kind_colour(self) -> str:
        return WarningKind.colour(self.kind)

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": [_("The end must be after the start.")]})
        if self.visibility_m is not None and self.visibility_m < 0:
            raise ValidationError({"visibility_m": [_("Visibility cannot be negative.")]})
        if self.max_gust_kmh is not None and not 0 <= self.max_gust_kmh <= 400:
            raise ValidationError({"max_gust_kmh": [_("Give a gust between 0 and 400 km/h.")]})
        if self.min_temperature_c is not None and not -90 <= self.min_temperature_c <= 60:
            raise ValidationError(
                {"min_temperature_c": [_("Give a temperature between -90 and 60 °C.")]}
            )
        if self.snowfall_cm is not None and not 0 <= self.snowfall_cm <= 500:
            raise ValidationError({"snowfall_cm": [_("Give a snowfall between 0 and 500 cm.")]})
