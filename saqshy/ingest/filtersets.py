"""One FilterSet per list, shared by the API and any list page."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.filtersets import region_filter
from saqshy.ingest.choices import DeviceKind, DeviceStatus
from saqshy.ingest.models import Device


class DeviceFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DeviceStatus.choices(), label=_("Status"))
    kind = django_filters.MultipleChoiceFilter(choices=DeviceKind.choices(), label=_("Kind"))
    region = region_filter()
    battery_low = django_filters.BooleanFilter(label=_("Battery low"))

    class Meta:
        model = Device
        fields = ["status", "kind", "region", "battery_low"]
