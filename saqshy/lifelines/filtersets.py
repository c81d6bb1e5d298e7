"""Filters of the lifelines lists, the same for the API and the pages."""

from __future__ import annotations

import django_filters

from saqshy.facilities.filtersets import region_filter
from saqshy.lifelines.models import Outage, UtilitySite


class UtilitySiteFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = UtilitySite
        fields = ["region", "kind"]


class OutageFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = Outage
        fields = ["region", "status"]
