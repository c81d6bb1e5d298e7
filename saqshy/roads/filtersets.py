"""Filters of the segment and closure lists, the same for the API and the pages."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.filtersets import region_filter
from saqshy.roads.choices import SEGMENT_STATUSES
from saqshy.roads.models import Closure, Segment


class SegmentFilterSet(django_filters.FilterSet):
    region = region_filter()
    status = django_filters.MultipleChoiceFilter(choices=SEGMENT_STATUSES)
    number = django_filters.CharFilter(field_name="number", lookup_expr="iexact")
    q = django_filters.CharFilter(method="search", label=_("number or name"))

    class Meta:
        model = Segment
        fields = ["region", "status", "number", "q"]

    def search(self, queryset: QuerySet[Segment], name: str, value: str) -> QuerySet[Segment]:
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(name__icontains=value)
            | Q(name_kk__icontains=value)
            | Q(name_ru__icontains=value)
            | Q(from_place__icontains=value)
            | Q(to_place__icontains=value)
            | Q(from_place_kk__icontains=value)
            | Q(to_place_kk__icontains=value)
            | Q(from_place_ru__icontains=value)
            | Q(to_place_ru__icontains=value)
        )


class ClosureFilterSet(django_filters.FilterSet):
    region = region_filter("segment__region")
    status = django_filters.MultipleChoiceFilter(choices=SEGMENT_STATUSES)

    class Meta:
        model = Closure
        fields = ["region", "status"]
