from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.filtersets import region_filter
from saqshy.trips.choices import TripStatus
from saqshy.trips.models import Trip


class TripFilterSet(django_filters.FilterSet):
    """One filter set for the API and the list page."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    status = django_filters.MultipleChoiceFilter(choices=TripStatus.choices(), label=_("Status"))
    has_escort = django_filters.BooleanFilter(
        field_name="escort", lookup_expr="isnull", exclude=True, label=_("Escort assigned")
    )
    escort_person = django_filters.NumberFilter(
        field_name="escort__person", label=_("Escorted by officer (id)")
    )
    escort_unit = django_filters.NumberFilter(
        field_name="escort__unit", label=_("Escorted by unit (id)")
    )
    date_from = django_filters.DateFilter(
        field_name="departs_at", lookup_expr="date__gte", label=_("From")
    )
    date_to = django_filters.DateFilter(
        field_name="departs_at", lookup_expr="date__lte", label=_("To")
    )

    class Meta:
        model = Trip
        fields = [
            "q",
            "region",
            "status",
            "organiser_facility",
            "has_escort",
            "escort_person",
            "escort_unit",
            "date_from",
            "date_to",
        ]

    def search(self, queryset: QuerySet[Trip], name: str, value: str) -> QuerySet[Trip]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organiser__icontains=value)
            | Q(destination_name__icontains=value)
            | Q(organiser_ref__icontains=value)
        )
