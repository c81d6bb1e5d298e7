"""Filters of the lifelines lists, the same for the API and the pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.facilities.filtersets import RegionSlugFilter
from saqshy.lifelines.models import Outage, UtilitySite


def _region_filter() -> RegionSlugFilter:
    return RegionSlugFilter(
        field_name="region__slug",
        to_field_name="slug",
        queryset=Region.objects.all(),
        label=_("Region"),
    )


class UtilitySiteFilterSet(django_filters.FilterSet):
    region = _region_filter()

    class Meta:
        model = UtilitySite
        fields = ["region", "kind"]


class OutageFilterSet(django_filters.FilterSet):
    region = _region_filter()

    class Meta:
        model = Outage
        fields = ["region", "status"]
