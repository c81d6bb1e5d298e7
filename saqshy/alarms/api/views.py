"""API of the home fire-alarm programme.

Households and call-backs are personal data: their querysets start from
``queries.households_for`` / ``callbacks_for`` (never from a wildcard grant), every list page
and detail served is audited as a read, and a refused household detail is audited too.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.alarms import queries, services
from saqshy.alarms.api.serializers import (
    AnswerSerializer,
    CallBackSerializer,
    HouseholdSerializer,
    InstallationCampaignSerializer,
    InstallationSerializer,
)
from saqshy.alarms.filtersets import (
    HouseholdFilterSet,
    InstallationCampaignFilterSet,
    InstallationFilterSet,
)
from saqshy.alarms.models import CallBack, Household, Installation, InstallationCampaign
from saqshy.core.api.audit import ReadAuditedMixin
from saqshy.core.api.permissions import ScopedActionPermission, action_for
from saqshy.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet


class PersonalDataPermission(ScopedActionPermission):
    """Reading is decided by the queryset alone (``households_for`` / ``callbacks_for``):
    the fire dispatch holds no grant on households yet sees one during an open alarm, and a
    refused detail must reach ``get_object`` to be audited as refused. Writes as usual."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if action_for(request, view) == "view":
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class HouseholdViewSet(ReadAuditedMixin, ScopedModelViewSet):
    """Households of the programme: social services of the region, and the fire dispatch
    while an alarm incident at the household is open. Every read is audited."""

    # Rows come only from get_queryset (queries.households_for): nothing unscoped here.
    queryset = Household.objects.none()
    permission_classes = [PersonalDataPermission]
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet

    def get_queryset(self) -> Any:
        return queries.households_for(self.request.user).select_related(
            "category", "region", "district"
        )

    def get_object(self) -> Any:
        try:
            return super().get_object()
        except Http404:
            pk = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
            if pk.isdigit():
                queries.refuse_household(self.request.user, int(pk), f"api:{self.basename}")
            raise

    def create_object(self, data: dict[str, Any]) -> Household:
        return services.create_household(acting_user=self.request.user, **data)

    def update_object(self, instance: Household, data: dict[str, Any]) -> Household:
        return services.update_household(acting_user=self.request.user, household=instance, **data)

    def delete_object(self, instance: Household) -> None:
        services.delete_household(acting_user=self.request.user, household=instance)


class InstallationViewSet(ScopedModelViewSet):
    """Alarms installed in households (device, room, installer, date, campaign)."""

    queryset = Installation.objects.select_related("device", "region", "campaign")
    serializer_class = InstallationSerializer
    filterset_class = InstallationFilterSet

    def create_object(self, data: dict[str, Any]) -> Installation:
        return services.create_installation(acting_user=self.request.user, **data)

    def update_object(self, instance: Installation, data: dict[str, Any]) -> Installation:
        return services.update_installation(
            acting_user=self.request.user, installation=instance, **data
        )

    def delete_object(self, instance: Installation) -> None:
        services.delete_installation(acting_user=self.request.user, installation=instance)


class InstallationCampaignViewSet(ScopedModelViewSet):
    """Installation campaigns, with progress per district against their targets."""

    queryset = InstallationCampaign.objects.select_related("region")
    serializer_class = InstallationCampaignSerializer
    filterset_class = InstallationCampaignFilterSet

    def create_object(self, data: dict[str, Any]) -> InstallationCampaign:
        return services.create_campaign(acting_user=self.request.user, **data)

    def update_object(
        self, instance: InstallationCampaign, data: dict[str, Any]
    ) -> InstallationCampaign:
        data.pop("targets", None)
        return services.update_campaign(acting_user=self.request.user, campaign=instance, **data)

    def delete_object(self, instance: InstallationCampaign) -> None:
        services.delete_campaign(acting_user=self.request.user, campaign=instance)


class CallBackViewSet(ReadAuditedMixin, ScopedReadOnlyViewSet):
    """Call-backs to households after an alarm; ``answer`` records what was said."""

    # Rows come from get_queryset (queries.callbacks_for); this only names the model.
    queryset = CallBack.objects.none()
    serializer_class = CallBackSerializer
    permission_classes = [PersonalDataPermission]
    # Recording an answer needs sight of the call-back; the service decides who may.
    scoped_actions = {"answer": "view"}
    filterset_fields = ["incident", "status"]

    def get_queryset(self) -> Any:
        return queries.callbacks_for(self.request.user)

    @extend_schema(request=AnswerSerializer, responses=CallBackSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        callback = self.get_object()
        form = AnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        updated = services.record_answer(
            acting_user=request.user,
            callback=callback,
            answer=form.validated_data["answer"],
            text=form.validated_data["text"],
        )
        return Response(CallBackSerializer(updated, context={"request": request}).data)
