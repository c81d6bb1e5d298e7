"""Filters of the winter lists, the same for the API and the pages."""

from __future__ import annotations

import django_filters

from saqshy.facilities.filtersets import region_filter
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint


class WarmingPointFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = WarmingPoint
        fields = ["region", "is_open"]


class StrandedReportFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = StrandedReport
        fields = ["region", "status"]


class StandbyFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = Standby
        fields = ["region", "equipment_type", "readiness", "segment"]
