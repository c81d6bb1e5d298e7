from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import IsAuthenticated

from saqshy.accounts.api.serializers import (
    AgencySerializer,
    MeSerializer,
    NormSerializer,
    RegionDetailSerializer,
    RegionSerializer,
)
from saqshy.accounts.models import Agency, Norm, Region, User
from saqshy.core.api.viewsets import ScopedReadOnlyViewSet


class RegionViewSet(ScopedReadOnlyViewSet):
    """First-level regions (reference data); the detail includes the boundary."""

    queryset = Region.objects.all()
    lookup_field = "slug"
    filterset_fields = ["kind"]

    def get_serializer_class(self) -> Any:
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer


class AgencyViewSet(ScopedReadOnlyViewSet):
    """Agencies taking part, national (no region) or regional."""

    queryset = Agency.objects.select_related("region")
    serializer_class = AgencySerializer
    filterset_fields = ["kind", "region__slug"]


@extend_schema(summary="The signed-in user and their grants")
class MeView(RetrieveAPIView):
    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> User:
        user: User = self.request.user  # type: ignore[assignment]
        return User.objects.prefetch_related(
            "grants__agency", "grants__region", "grants__role"
        ).get(pk=user.pk)


class NormViewSet(ScopedReadOnlyViewSet):
    """Norms and thresholds as data: national defaults (no region) and regional overrides."""

    queryset = Norm.objects.select_related("region")
    serializer_class = NormSerializer
    filterset_fields = ["code", "region__slug"]
