from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from saqshy.accounts.models import Grant
from saqshy.core.api.places import BBoxFilter
from saqshy.facilities.filtersets import region_filter
from saqshy.incidents.choices import (
    IncidentSource,
    IncidentStatus,
    Priority,
    UnitKind,
    UnitStatus,
)
from saqshy.incidents.models import Incident, IncidentType, Unit


@extend_schema_field(OpenApiTypes.STR)
class TypeCodeFilter(django_filters.ModelMultipleChoiceFilter):
    """Incident types by code, e.g. ``?type=fire&type=medical``."""


class IncidentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    type = TypeCodeFilter(
        field_name="type__code",
        to_field_name="code",
        queryset=IncidentType.objects.all(),
        label=_("Type"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=IncidentStatus.choices(), label=_("Status")
    )
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.integer_choices(), label=_("Priority")
    )
    source = django_filters.MultipleChoiceFilter(
        choices=IncidentSource.choices(), label=_("Source")
    )
    open = django_filters.BooleanFilter(method="only_open", label=pgettext_lazy("incident", "Open"))
    agency = django_filters.CharFilter(field_name="agency__code", label=_("Taking agency (code)"))
    mine = django_filters.BooleanFilter(
        method="only_mine", label=_("Only calls taken by my agencies")
    )
    is_exercise = django_filters.BooleanFilter(label=_("exercise"))
    reported_from = django_filters.IsoDateTimeFilter(
        field_name="reported_at", lookup_expr="gte", label=_("Reported from")
    )
    reported_to = django_filters.IsoDateTimeFilter(
        field_name="reported_at", lookup_expr="lte", label=_("Reported to")
    )

    class Meta:
        model = Incident
        fields = [
            "q",
            "region",
            "type",
            "status",
            "priority",
            "source",
            "open",
            "agency",
            "mine",
            "duplicate_of",
            "is_exercise",
            "reported_from",
            "reported_to",
        ]

    def search(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(address__icontains=value)
            | Q(description__icontains=value)
            | Q(reporter__icontains=value)
        )

    def only_mine(
        self, queryset: QuerySet[Incident], name: str, value: bool | None
    ) -> QuerySet[Incident]:
        """The calls taken by an agency the user holds a grant for (``mine=true``)."""
        if not value:
            return queryset
        user_id = getattr(getattr(self.request, "user", None), "pk", None)
        if user_id is None:
            return queryset.none()
        agencies = Grant.objects.filter(user_id=user_id).values("agency_id")
        return queryset.filter(agency_id__in=agencies)

    def only_open(
        self, queryset: QuerySet[Incident], name: str, value: bool | None
    ) -> QuerySet[Incident]:
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=IncidentStatus.OPEN)
        return queryset.exclude(status__in=IncidentStatus.OPEN)


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="call_sign", lookup_expr="icontains", label=_("Search")
    )
    region = region_filter()
    kind = django_filters.MultipleChoiceFilter(choices=UnitKind.choices(), label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=UnitStatus.choices(), label=_("Status"))
    agency = django_filters.CharFilter(field_name="agency__code", label=_("Agency"))
    bbox = BBoxFilter(label=_("Bounding box (minlon,minlat,maxlon,maxlat)"))

    class Meta:
        model = Unit
        fields = ["q", "region", "kind", "status", "agency", "home_station", "bbox"]
