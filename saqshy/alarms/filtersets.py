"""Filters of the programme's lists, the same for the API and the pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.alarms.models import Household, Installation, InstallationCampaign
from saqshy.facilities.filtersets import RegionSlugFilter


def _region_filter() -> RegionSlugFilter:
    return RegionSlugFilter(
        field_name="region__slug",
        to_field_name="slug",
        queryset=Region.objects.all(),
        label=_("Region"),
    )


class HouseholdFilterSet(django_filters.FilterSet):
    region = _region_filter()

    class Meta:
        model = Household
        fields = ["region", "category", "district", "consent_given"]


class InstallationFilterSet(django_filters.FilterSet):
    region = _region_filter()

    class Meta:
        model = Installation
        fields = ["region", "campaign", "district"]


class InstallationCampaignFilterSet(django_filters.FilterSet):
    region = _region_filter()

    class Meta:
        model = InstallationCampaign
        fields = ["region"]
