"""One FilterSet per list, shared by the API and the pages."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.core.api.places import BBoxFilter
from saqshy.equipment.choices import EquipmentKind, HydrantKind
from saqshy.equipment.models import FacilityEquipment, Hydrant
from saqshy.facilities.filtersets import region_filter


class HydrantFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    kind = django_filters.MultipleChoiceFilter(choices=HydrantKind.choices(), label=_("Kind"))
    operable = django_filters.BooleanFilter(label=_("Operable"))
    bbox = BBoxFilter(label=_("Bounding box (minlon,minlat,maxlon,maxlat)"))
    not_checked_since = django_filters.DateFilter(
        method="filter_not_checked_since", label=_("Not checked since")
    )

    class Meta:
        model = Hydrant
        fields = ["q", "region", "kind", "operable", "bbox", "not_checked_since"]

    def search(self, queryset: QuerySet[Hydrant], name: str, value: str) -> QuerySet[Hydrant]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(address__icontains=value))

    def filter_not_checked_since(
        self, queryset: QuerySet[Hydrant], name: str, value: datetime.date | None
    ) -> QuerySet[Hydrant]:
        """Never checked, or last checked before ``value`` (e.g. the start of the season)."""
        if value is None:
            return queryset
        return queryset.filter(Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=value))


class FacilityEquipmentFilterSet(django_filters.FilterSet):
    region = region_filter("facility__region")
    kind = django_filters.MultipleChoiceFilter(choices=EquipmentKind.choices(), label=_("Kind"))
    in_order = django_filters.BooleanFilter(label=_("In working order"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Check overdue"))

    class Meta:
        model = FacilityEquipment
        fields = ["facility", "region", "kind", "in_order", "overdue"]

    def filter_overdue(
        self, queryset: QuerySet[FacilityEquipment], name: str, value: Any
    ) -> QuerySet[FacilityEquipment]:
        """``true``: the next check's date has passed; ``false``: not (or none planned)."""
        if value is None:
            return queryset
        late = Q(next_check_due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
