"""Filters of the camera list, the same for the API and the page."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from saqshy.cameras import queries
from saqshy.cameras.models import Camera
from saqshy.facilities.filtersets import region_filter

MAX_RADIUS_M = 50_000


class NearField(forms.CharField):
    """``lat,lon,radius_m``: a point in degrees and a radius in metres (at most 50 km)."""

    def clean(self, value: Any) -> tuple[float, float, float] | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            lat, lon, radius = (float(part) for part in str(value).split(","))
        except ValueError:
            raise forms.ValidationError(
                _("Give three numbers: latitude,longitude,radius in metres."), code="invalid"
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius <= MAX_RADIUS_M):
            raise forms.ValidationError(
                _(
                    "The latitude must lie in -90…90, the longitude in -180…180 and the "
                    "radius in 1…%(max)s metres."
                )
                % {"max": MAX_RADIUS_M},
                code="invalid",
            )
        return lat, lon, radius


@extend_schema_field(OpenApiTypes.STR)
class NearFilter(django_filters.Filter):
    field_class = NearField

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        lat, lon, radius = value
        near = queries.cameras_near(lat, lon, radius, cameras=qs, active_only=False)
        return qs.filter(pk__in=[n.camera.pk for n in near])


class CameraFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    near = NearFilter(label=_("Near a point (latitude,longitude,radius in metres)"))

    class Meta:
        model = Camera
        fields = ["q", "region", "facility", "owner", "is_active", "near"]

    def search(self, queryset: QuerySet[Camera], name: str, value: str) -> QuerySet[Camera]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value) | queryset.filter(address__icontains=value)
