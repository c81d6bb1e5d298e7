from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.filtersets import region_filter
from saqshy.inspections.choices import Severity, ViolationStatus
from saqshy.inspections.models import Briefing, Drill, Inspection, Violation


class InspectionFilterSet(django_filters.FilterSet):
    region = region_filter("facility__region")
    date_from = django_filters.DateFilter(field_name="inspected_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="inspected_on", lookup_expr="lte")

    class Meta:
        model = Inspection
        fields = ["facility", "region", "is_reinspection", "date_from", "date_to"]


class ViolationFilterSet(django_filters.FilterSet):
    region = region_filter("facility__region")
    status = django_filters.MultipleChoiceFilter(choices=ViolationStatus.choices())
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices())
    overdue_on = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lt", label=_("Deadline before")
    )

    class Meta:
        model = Violation
        fields = ["facility", "region", "status", "severity", "overdue_on"]


class BriefingFilterSet(django_filters.FilterSet):
    region = region_filter("facility__region")

    class Meta:
        model = Briefing
        fields = ["facility", "region"]


class DrillFilterSet(django_filters.FilterSet):
    region = region_filter("facility__region")

    class Meta:
        model = Drill
        fields = ["facility", "region"]
