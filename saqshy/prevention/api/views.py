from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saqshy.accounts.queries import regions_in_scope
from saqshy.core.api.fields import CalendarDateField
from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.gatherings.models import Gathering
from saqshy.prevention import queries, services
from saqshy.prevention.api.serializers import (
    CampaignSerializer,
    ProgressSerializer,
    QueueItemSerializer,
)
from saqshy.prevention.filtersets import CampaignFilterSet
from saqshy.prevention.models import Campaign


class CampaignViewSet(ScopedModelViewSet):
    """Inspection campaigns with their progress and risk-ranked work queue."""

    queryset = Campaign.objects.select_related("region")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet

    def create_object(self, data: dict[str, Any]) -> Campaign:
        return services.create_campaign(acting_user=self.request.user, **data)

    def update_object(self, instance: Campaign, data: dict[str, Any]) -> Campaign:
        return services.update_campaign(acting_user=self.request.user, campaign=instance, **data)

    def delete_object(self, instance: Campaign) -> None:
        services.delete_campaign(acting_user=self.request.user, campaign=instance)

    @extend_schema(responses=ProgressSerializer(many=True))
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Planned, inspected, violations found/eliminated, cleared: whole region first, then
        each district."""
        total, groups = queries.progress(self.get_object(), timezone.localdate())
        return Response(ProgressSerializer([total, *groups], many=True).data)

    @extend_schema(responses=QueueItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def queue(self, request: Request, pk: str | None = None) -> Response:
        """Facilities still to inspect, most at risk first, each with its factors."""
        ranked = queries.work_queue(self.get_object(), timezone.localdate())
        items = [
            {
                "rank": n,
                "facility": facility.pk,
                "name": str(facility),
                "kind": facility.kind,
                "total": score.total,
                "factors": [
                    {"code": f.code, "value": f.value, "points": f.points} for f in score.factors
                ],
            }
            for n, (facility, score) in enumerate(ranked, start=1)
        ]
        return Response(QueueItemSerializer(items, many=True).data)


class IndicatorQuery(serializers.Serializer):
    region = serializers.SlugField(required=False)
    date_from = CalendarDateField(required=False)
    date_to = CalendarDateField(required=False)


class PreventionIndicatorsView(APIView):
    """Prevention figures per region in your scope, counted from the records."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="region slug; default: all you may see"),
            OpenApiParameter("date_from", dt.date, description="default: 1 December"),
            OpenApiParameter("date_to", dt.date, description="default: today"),
        ],
        responses={200: {"type": "array", "items": {"type": "object"}}},
    )
    def get(self, request: Request) -> Response:
        query = IndicatorQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        season = dt.date(today.year if today.month == 12 else today.year - 1, 12, 1)
        date_from = query.validated_data.get("date_from", season)
        date_to = query.validated_data.get("date_to", today)
        if date_to < date_from:
            raise ValidationError({"date_to": [_("The end is before the start.")]})
        regions = regions_in_scope(request.user, Gathering)
        if slug := query.validated_data.get("region"):
            regions = regions.filter(slug=slug)
            if not regions.exists():
                raise ValidationError({"region": [_("No such region in your scope.")]})
        return Response(queries.prevention_indicators(request.user, regions, date_from, date_to))
