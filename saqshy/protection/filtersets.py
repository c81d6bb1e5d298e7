"""Filters of the protective-security lists, the same for the API and the pages."""

from __future__ import annotations

import django_filters

from saqshy.facilities.filtersets import region_filter
from saqshy.protection.models import Assessment, Finding


class AssessmentFilterSet(django_filters.FilterSet):
    region = region_filter("facility__region")

    class Meta:
        model = Assessment
        fields = ["region", "status", "tier", "facility"]


class FindingFilterSet(django_filters.FilterSet):
    region = region_filter("facility__region")

    class Meta:
        model = Finding
        fields = ["region", "status", "severity", "facility", "assessment"]
