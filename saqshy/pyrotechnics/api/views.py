from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.renderers import GeoJSONRenderer
from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.core.scoping import restricted
from saqshy.pyrotechnics import queries, services
from saqshy.pyrotechnics.api.serializers import (
    OutletSerializer,
    RaidSerializer,
    RaidVisitSerializer,
    SeizureSerializer,
    TotalsQuerySerializer,
    TotalsSerializer,
    VisitResultSerializer,
)
from saqshy.pyrotechnics.filtersets import OutletFilterSet, RaidFilterSet, SeizureFilterSet
from saqshy.pyrotechnics.models import Outlet, Raid, RaidVisit, Seizure, SeizureLine

_FORMAT = OpenApiParameter(
    "format", str, enum=["json", "geojson"], description="`geojson` for a FeatureCollection"
)


@extend_schema_view(list=extend_schema(parameters=[_FORMAT]))
class OutletViewSet(ScopedModelViewSet):
    """Pyrotechnics outlets within your grants. ``certificate_expired`` flags an expired or
    missing certificate (``?expired=true`` lists them). Writes derive the region from the
    location, or from the linked facility's location when none is given."""

    queryset = Outlet.objects.select_related("region")
    serializer_class = OutletSerializer
    filterset_class = OutletFilterSet
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]

    def create_object(self, data: dict[str, Any]) -> Outlet:
        return services.create_outlet(acting_user=self.request.user, **data)

    def update_object(self, instance: Outlet, data: dict[str, Any]) -> Outlet:
        return services.update_outlet(acting_user=self.request.user, outlet=instance, **data)

    def delete_object(self, instance: Outlet) -> None:
        services.delete_outlet(acting_user=self.request.user, outlet=instance)


class RaidViewSet(ScopedModelViewSet):
    """Raids on pyrotechnics outlets, with the outlets on their route and what was found."""

    queryset = Raid.objects.select_related("region", "agency")
    related_rows = {"visits": RaidVisit.objects.select_related("outlet")}
    serializer_class = RaidSerializer
    filterset_class = RaidFilterSet
    # Recording a result needs only sight of the raid here; the service then requires the
    # right to change raid visits in the raid's region.
    scoped_actions = {"record_result": "view"}

    def create_object(self, data: dict[str, Any]) -> Raid:
        outlets = data.pop("outlets", [])
        return services.create_raid(acting_user=self.request.user, outlets=outlets, **data)

    def update_object(self, instance: Raid, data: dict[str, Any]) -> Raid:
        outlets = data.pop("outlets", None)
        raid = services.update_raid(
            acting_user=self.request.user, raid=instance, outlets=outlets, **data
        )
        return self.get_queryset().get(pk=raid.pk)

    def delete_object(self, instance: Raid) -> None:
        services.delete_raid(acting_user=self.request.user, raid=instance)

    @extend_schema(request=VisitResultSerializer, responses=RaidVisitSerializer)
    @action(detail=True, methods=["post"], url_path="record-result")
    def record_result(self, request: Request, pk: str | None = None) -> Response:
        """Record what the raid found at one outlet on its route."""
        raid = self.get_object()
        form = VisitResultSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        visits = restricted(request.user, raid.visits)
        visit = visits.filter(outlet_id=form.validated_data["outlet"]).first()
        if visit is None:
            raise serializers.ValidationError(
                {"outlet": [_("This outlet is not on the raid's route.")]}
            )
        visit = services.record_visit_result(
            acting_user=request.user,
            visit=visit,
            result=form.validated_data["result"],
            note=form.validated_data["note"],
        )
        return Response(RaidVisitSerializer(visit).data)


class SeizureViewSet(ScopedModelViewSet):
    """Seizures, each posted with its lines in one request and saved all or nothing."""

    queryset = Seizure.objects.select_related("region", "outlet")
    related_rows = {"lines": SeizureLine.objects.all()}
    serializer_class = SeizureSerializer
    filterset_class = SeizureFilterSet

    def create_object(self, data: dict[str, Any]) -> Seizure:
        return services.record_seizure(
            acting_user=self.request.user,
            outlet=data["outlet"],
            raid=data.get("raid"),
            seized_on=data["seized_on"],
            notes=data.get("notes", ""),
            lines=[dict(line) for line in data["lines"]],
        )

    def update_object(self, instance: Seizure, data: dict[str, Any]) -> Seizure:
        lines = data.pop("lines", None)
        seizure = services.update_seizure(
            acting_user=self.request.user,
            seizure=instance,
            lines=None if lines is None else [dict(line) for line in lines],
            **data,
        )
        return self.get_queryset().get(pk=seizure.pk)

    def delete_object(self, instance: Seizure) -> None:
        services.delete_seizure(acting_user=self.request.user, seizure=instance)


def _row(totals: queries.Totals) -> dict[str, Any]:
    region = totals.region
    return {
        "region": region.slug if region else None,
        "region_name": region.display_name if region else None,
        **totals.counts(),
    }


class PyrotechnicsViewSet(viewsets.ViewSet):
    """Figures over all pyrotechnics records: ``GET /api/pyrotechnics/totals/``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[TotalsQuerySerializer],
        responses=TotalsSerializer,
        summary="Pyrotechnics totals per region",
    )
    @action(detail=False, methods=["get"])
    def totals(self, request: Request) -> Response:
        """Raids done, outlets checked, violations, units and boxes seized (certified and
        not) and active outlets with an expired certificate, per region you may view.
        The period (``date_from``/``date_to``, inclusive) applies to the raid's planned date
        and the seizure's date; the expired-certificate count is as of today."""
        if not queries.regions_in_scope(request.user).exists():
            raise PermissionDenied(_("You have no access to pyrotechnics records."))
        params = TotalsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = queries.totals(request.user, **params.validated_data)
        body = {
            "date_from": params.validated_data.get("date_from"),
            "date_to": params.validated_data.get("date_to"),
            "results": [_row(row) for row in rows],
            "total": _row(queries.sum_totals(rows)),
        }
        return Response(TotalsSerializer(body).data)
