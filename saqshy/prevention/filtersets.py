"""Filters of the campaign list, the same for the API and the page."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.facilities.filtersets import RegionSlugFilter
from saqshy.prevention.models import Campaign


class CampaignFilterSet(django_filters.FilterSet):
    region = RegionSlugFilter(
        field_name="region__slug",
        to_field_name="slug",
        queryset=Region.objects.all(),
        label=_("Region"),
    )

    class Meta:
        model = Campaign
        # ``region__slug`` stays for the API's earlier callers.
        fields = ["region", "region__slug"]
