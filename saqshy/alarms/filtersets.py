"""Filters of the programme's lists, the same for the API and the pages."""

from __future__ import annotations

import django_filters

from saqshy.alarms.models import Household, Installation, InstallationCampaign
from saqshy.facilities.filtersets import region_filter


class HouseholdFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = Household
        fields = ["region", "category", "district", "consent_given"]


class InstallationFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = Installation
        fields = ["region", "campaign", "district"]


class InstallationCampaignFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = InstallationCampaign
        fields = ["region"]
