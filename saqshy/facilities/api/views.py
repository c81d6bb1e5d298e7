from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from saqshy.core.api.places import MapClustersMixin
from saqshy.core.api.renderers import GeoJSONRenderer
from saqshy.core.api.viewsets import ScopedModelViewSet
from saqshy.facilities import services
from saqshy.facilities.api.serializers import FacilitySerializer
from saqshy.facilities.filtersets import FacilityFilterSet
from saqshy.facilities.models import Facility

_FORMAT = OpenApiParameter(
    "format", str, enum=["json", "geojson"], description="`geojson` for a FeatureCollection"
)


@extend_schema_view(list=extend_schema(parameters=[_FORMAT]))
class FacilityViewSet(MapClustersMixin, ScopedModelViewSet):
    """Facilities within your grants. Writes derive the region from the location."""

    queryset = Facility.objects.select_related("region")
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilterSet
    renderer_classes = [JSONRenderer, GeoJSONRenderer, BrowsableAPIRenderer]

    def create_object(self, data: dict[str, Any]) -> Facility:
        return services.create_facility(acting_user=self.request.user, **data)

    def update_object(self, instance: Facility, data: dict[str, Any]) -> Facility:
        return services.update_facility(acting_user=self.request.user, facility=instance, **data)

    def delete_object(self, instance: Facility) -> None:
        services.delete_facility(acting_user=self.request.user, facility=instance)
