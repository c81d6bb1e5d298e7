"""Filters of the campaign list, the same for the API and the page."""

from __future__ import annotations

import django_filters

from saqshy.facilities.filtersets import region_filter
from saqshy.prevention.models import Campaign


class CampaignFilterSet(django_filters.FilterSet):
    region = region_filter()

    class Meta:
        model = Campaign
        # ``region__slug`` stays for the API's earlier callers.
        fields = ["region", "region__slug"]
