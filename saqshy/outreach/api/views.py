from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.outreach import services
from saqshy.outreach.api.serializers import (
    OutreachCampaignSerializer,
    ParentMeetingSerializer,
    ReachSerializer,
)
from saqshy.outreach.filtersets import CampaignFilterSet, MeetingFilterSet
from saqshy.outreach.models import Campaign, ParentMeeting

_CONFLICT = OpenApiResponse(description="The campaign's status does not allow the move.")


class CampaignViewSet(ScopedModelViewSet):
    """Awareness campaigns within your grants. ``reach/`` records the people reached;
    ``start/``, ``finish/`` and ``resume/`` move the status (409 when it does not allow)."""

    queryset = Campaign.objects.select_related("region", "owner").prefetch_related("districts")
    serializer_class = OutreachCampaignSerializer
    filterset_class = CampaignFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    scoped_actions = {"reach": "change", "start": "change", "finish": "change", "resume": "change"}

    def _fresh(self, campaign: Campaign) -> Campaign:
        fresh: Campaign = self.get_queryset().get(pk=campaign.pk)
        return fresh

    def create_object(self, data: dict[str, Any]) -> Campaign:
        return self._fresh(services.create_campaign(acting_user=self.request.user, **data))

    def update_object(self, instance: Campaign, data: dict[str, Any]) -> Campaign:
        services.update_campaign(acting_user=self.request.user, campaign=instance, **data)
        return self._fresh(instance)

    def delete_object(self, instance: Campaign) -> None:
        services.delete_campaign(acting_user=self.request.user, campaign=instance)

    def _respond(self, campaign: Campaign) -> Response:
        return Response(self.get_serializer(self._fresh(campaign)).data)

    @extend_schema(request=ReachSerializer, responses=OutreachCampaignSerializer)
    @action(detail=True, methods=["post"])
    def reach(self, request: Request, pk: str | None = None) -> Response:
        body = ReachSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        campaign = services.record_reach(
            acting_user=request.user,
            campaign=self.get_object(),
            reached=body.validated_data["reached"],
        )
        return self._respond(campaign)

    def _move(self, name: str) -> Response:
        campaign = services.move_campaign(
            acting_user=self.request.user, campaign=self.get_object(), name=name
        )
        return self._respond(campaign)

    @extend_schema(request=None, responses={200: OutreachCampaignSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._move("start")

    @extend_schema(request=None, responses={200: OutreachCampaignSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str | None = None) -> Response:
        return self._move("finish")

    @extend_schema(request=None, responses={200: OutreachCampaignSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        return self._move("resume")


class ParentMeetingViewSet(ScopedModelViewSet):
    """Parent meetings at schools within your grants; region and district follow the school."""

    queryset = ParentMeeting.objects.select_related("school", "region", "held_by_agency")
    serializer_class = ParentMeetingSerializer
    filterset_class = MeetingFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _fresh(self, meeting: ParentMeeting) -> ParentMeeting:
        fresh: ParentMeeting = self.get_queryset().get(pk=meeting.pk)
        return fresh

    def create_object(self, data: dict[str, Any]) -> ParentMeeting:
        return self._fresh(services.record_meeting(acting_user=self.request.user, **data))

    def update_object(self, instance: ParentMeeting, data: dict[str, Any]) -> ParentMeeting:
        services.update_meeting(acting_user=self.request.user, meeting=instance, **data)
        return self._fresh(instance)

    def delete_object(self, instance: ParentMeeting) -> None:
        services.delete_meeting(acting_user=self.request.user, meeting=instance)
