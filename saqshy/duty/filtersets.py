from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from saqshy.duty.choices import PostKind, ReadinessLevel
from saqshy.duty.models import Person, Post, Readiness
from saqshy.facilities.filtersets import region_filter


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    agency = django_filters.CharFilter(field_name="agency__code", label=_("Agency (code)"))
    district = django_filters.CharFilter(field_name="district__slug", label=_("District (slug)"))
    skill = django_filters.CharFilter(method="with_skill", label=_("Skill"))

    class Meta:
        model = Person
        fields = ["q", "region", "agency", "district", "skill", "active"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
            | Q(personnel_number__icontains=value)
        )

    def with_skill(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        # JSON containment is not portable to SQLite; skills are short codes, so match the
        # quoted code in the stored JSON text.
        code = value.strip().lower()
        return queryset.filter(skills__icontains=f'"{code}"') if code else queryset


class PostFilterSet(django_filters.FilterSet):
    region = region_filter()
    kind = django_filters.MultipleChoiceFilter(choices=PostKind.choices(), label=_("Kind"))
    active_at = django_filters.IsoDateTimeFilter(method="running_at", label=_("Running at"))
    date = django_filters.DateFilter(method="running_on", label=_("Running on"))

    class Meta:
        model = Post
        fields = ["region", "kind", "facility", "gathering", "active_at", "date"]

    def running_at(self, queryset: QuerySet[Post], name: str, value: object) -> QuerySet[Post]:
        return queryset.filter(starts_at__lte=value).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=value)
        )

    def running_on(self, queryset: QuerySet[Post], name: str, value: object) -> QuerySet[Post]:
        return queryset.filter(starts_at__date__lte=value).filter(
            Q(ends_at__isnull=True) | Q(ends_at__date__gte=value)
        )


class ReadinessFilterSet(django_filters.FilterSet):
    region = region_filter()
    level = django_filters.MultipleChoiceFilter(choices=ReadinessLevel.choices(), label=_("Level"))

    class Meta:
        model = Readiness
        fields = ["region", "level", "agency"]
