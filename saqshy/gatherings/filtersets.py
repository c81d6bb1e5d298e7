from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from saqshy.core.api.places import BBoxFilter
from saqshy.facilities.filtersets import region_filter
from saqshy.gatherings.choices import GatheringKind, GatheringStatus
from saqshy.gatherings.models import Gathering


class GatheringFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    kind = django_filters.MultipleChoiceFilter(choices=GatheringKind.choices(), label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(
        choices=GatheringStatus.choices(), label=_("Status")
    )
    date_from = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("From")
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("To")
    )
    bbox = BBoxFilter(label=_("Bounding box (minlon,minlat,maxlon,maxlat)"))

    class Meta:
        model = Gathering
        fields = [
            "q",
            "region",
            "kind",
            "status",
            "venue",
            "children_involved",
            "date_from",
            "date_to",
            "bbox",
        ]

    def search(self, queryset: QuerySet[Gathering], name: str, value: str) -> QuerySet[Gathering]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value) | queryset.filter(organiser__icontains=value)
