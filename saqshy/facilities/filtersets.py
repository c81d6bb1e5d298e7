"""One FilterSet serves the API and the list page."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from saqshy.accounts.models import Region
from saqshy.core.api.places import BBoxFilter
from saqshy.facilities.choices import FacilityKind
from saqshy.facilities.models import Facility


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class RegionSlugFilter(django_filters.ModelMultipleChoiceFilter):
    """Regions by slug, e.g. ``?region=astana&region=almaty``."""


def region_filter(path: str = "region") -> RegionSlugFilter:
    """The region filter of a list whose records reach their region through ``path``."""
    return RegionSlugFilter(
        field_name=f"{path}__slug",
        to_field_name="slug",
        queryset=Region.objects.all(),
        label=_("Region"),
    )


class FacilityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    kind = django_filters.MultipleChoiceFilter(choices=FacilityKind.choices(), label=_("Kind"))
    bbox = BBoxFilter(label=_("Bounding box (minlon,minlat,maxlon,maxlat)"))
    has_fire_alarm = django_filters.BooleanFilter(label=_("Fire alarm system"))

    class Meta:
        model = Facility
        fields = ["q", "region", "kind", "bbox", "has_fire_alarm"]

    def search(self, queryset: QuerySet[Facility], name: str, value: str) -> QuerySet[Facility]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_kk__icontains=value)
            | Q(name_ru__icontains=value)
            | Q(name_en__icontains=value)
            | Q(address__icontains=value)
            | Q(operator__icontains=value)
        )
