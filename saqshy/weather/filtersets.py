"""Filters of the warning list, the same for the API and the pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.filtersets import region_filter
from saqshy.weather.choices import WARNING_KINDS, WARNING_STATUSES
from saqshy.weather.models import WeatherWarning


class WarningFilterSet(django_filters.FilterSet):
    region = region_filter()
    status = django_filters.MultipleChoiceFilter(choices=WARNING_STATUSES, label=_("Status"))
    kind = django_filters.MultipleChoiceFilter(choices=WARNING_KINDS, label=_("Hazard"))

    class Meta:
        model = WeatherWarning
        fields = ["region", "status", "kind"]
