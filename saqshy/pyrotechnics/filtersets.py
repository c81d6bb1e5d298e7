"""One FilterSet per list, shared by the API and the list pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.filtersets import region_filter
from saqshy.pyrotechnics.choices import OutletKind, RaidStatus, VisitResult
from saqshy.pyrotechnics.models import Outlet, Raid, Seizure, expired_certificate_q


def _search(queryset: QuerySet[Any], value: str, *fields: str) -> QuerySet[Any]:
    value = value.strip()
    if not value:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return queryset.filter(condition)


class OutletFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    kind = django_filters.MultipleChoiceFilter(choices=OutletKind.choices(), label=_("Kind"))
    expired = django_filters.BooleanFilter(
        method="filter_expired", label=_("Certificate expired or missing")
    )
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Outlet
        fields = ["q", "region", "kind", "expired", "active"]

    def search(self, queryset: QuerySet[Outlet], name: str, value: str) -> QuerySet[Outlet]:
        return _search(queryset, value, "name", "operator", "address", "certificate_number")

    def filter_expired(
        self, queryset: QuerySet[Outlet], name: str, value: bool | None
    ) -> QuerySet[Outlet]:
        if value is None:
            return queryset
        if value:
            return queryset.filter(expired_certificate_q())
        return queryset.exclude(expired_certificate_q())


class RaidFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    status = django_filters.MultipleChoiceFilter(choices=RaidStatus.choices(), label=_("Status"))
    date_from = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="gte", label=_("Planned from")
    )
    date_to = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="lte", label=_("Planned until")
    )
    outlet = django_filters.NumberFilter(
        field_name="visits__outlet", label=_("Visits outlet (id)"), distinct=True
    )
    result = django_filters.MultipleChoiceFilter(
        field_name="visits__result",
        choices=VisitResult.choices(),
        label=_("Has a visit with result"),
        distinct=True,
    )

    class Meta:
        model = Raid
        fields = ["q", "region", "status", "date_from", "date_to", "outlet", "result"]

    def search(self, queryset: QuerySet[Raid], name: str, value: str) -> QuerySet[Raid]:
        return _search(queryset, value, "team", "notes", "agency__name_en", "agency__code")


class SeizureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    outlet = django_filters.NumberFilter(field_name="outlet", label=_("Outlet (id)"))
    raid = django_filters.NumberFilter(field_name="raid", label=_("Raid (id)"))
    date_from = django_filters.DateFilter(
        field_name="seized_on", lookup_expr="gte", label=_("Seized from")
    )
    date_to = django_filters.DateFilter(
        field_name="seized_on", lookup_expr="lte", label=_("Seized until")
    )

    class Meta:
        model = Seizure
        fields = ["q", "region", "outlet", "raid", "date_from", "date_to"]

    def search(self, queryset: QuerySet[Seizure], name: str, value: str) -> QuerySet[Seizure]:
        found = _search(queryset, value, "notes", "outlet__name", "lines__product")
        return found.distinct() if found is not queryset else found
