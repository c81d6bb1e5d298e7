from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.filtersets import region_filter
from saqshy.outreach.choices import Audience, CampaignStatus, Channel, Topic
from saqshy.outreach.models import Campaign, ParentMeeting


class CampaignFilterSet(django_filters.FilterSet):
    """One filter set for the API and the list page."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    district = django_filters.NumberFilter(method="in_district", label=_("District"))
    topic = django_filters.MultipleChoiceFilter(choices=Topic.choices(), label=_("Topic"))
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices(), label=_("Channel"))
    audience = django_filters.MultipleChoiceFilter(choices=Audience.choices(), label=_("Audience"))
    status = django_filters.MultipleChoiceFilter(
        choices=CampaignStatus.choices(), label=_("Status")
    )
    date_from = django_filters.DateFilter(field_name="ends_on", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Campaign
        fields = [
            "q",
            "region",
            "district",
            "topic",
            "channel",
            "audience",
            "status",
            "date_from",
            "date_to",
        ]

    def search(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(title_kk__icontains=value) | Q(title_ru__icontains=value)
        )

    def in_district(
        self, queryset: QuerySet[Campaign], name: str, value: int
    ) -> QuerySet[Campaign]:
        """Campaigns covering the district: named for it, or for its whole region."""
        return queryset.filter(
            Q(districts=value) | Q(districts__isnull=True, region__districts=value)
        ).distinct()


class MeetingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = region_filter()
    district = django_filters.NumberFilter(field_name="district", label=_("District"))
    school = django_filters.NumberFilter(field_name="school", label=_("School"))
    date_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("To"))

    class Meta:
        model = ParentMeeting
        fields = ["q", "region", "district", "school", "date_from", "date_to"]

    def search(
        self, queryset: QuerySet[ParentMeeting], name: str, value: str
    ) -> QuerySet[ParentMeeting]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(school__name__icontains=value)
            | Q(school__address__icontains=value)
            | Q(held_by__icontains=value)
        )
