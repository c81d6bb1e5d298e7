"""``/api/geocode/search`` and ``/api/geocode/reverse``: the offline geocoder as an API.

Signed-in users only; both look only in the regions of the caller's grants (every region for a
national grant), as routing does. Bad parameters answer 400 naming the field; a ``region``
outside the caller's grants answers 403; a reverse look-up with nothing near answers 404.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saqshy.accounts.models import Region
from saqshy.algorithms.geocode import ADDRESS_RADIUS_M, PLACE_RADIUS_M, STREET_RADIUS_M, Hit
from saqshy.geocoding import queries
from saqshy.geocoding.api.serializers import (
    DetailSerializer,
    ReverseAnswerSerializer,
    ReverseQuerySerializer,
    SearchAnswerSerializer,
    SearchQuerySerializer,
)

FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Each wrong parameter with its messages: {field: [text]}."
)


def _result(hit: Hit) -> dict[str, Any]:
    return {
        "label": hit.label,
        "lat": round(hit.lat, 7),
        "lon": round(hit.lon, 7),
        "kind": hit.kind,
        "score": round(hit.score, 3),
        "region": hit.region,
    }


class GeocodeSearchView(APIView):
    """Addresses, streets, named places and facilities matching a text, best first.

    Kazakh, Russian and Latin spellings match each other ("Kabanbay 53", "Қабанбай батыр 53",
    "пр. Кабанбай батыра, 53"); labels are in the request's language where OSM has the name.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="geocode_search",
        parameters=[SearchQuerySerializer],
        responses={200: SearchAnswerSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        query = data["q"].strip()
        if not query:
            raise ValidationError({"q": [_("This field may not be blank.")]})
        regions = queries.regions_for(request.user)
        if slug := data.get("region"):
            if not Region.objects.filter(slug=slug).exists():
                raise ValidationError({"region": [_("Unknown region.")]})
            regions = regions.filter(slug=slug)
            if not regions.exists():
                raise PermissionDenied(_("You hold no grant in this region."))
        hits = queries.search(query, regions, data["limit"])
        return Response({"results": [_result(hit) for hit in hits]})


class GeocodeReverseView(APIView):
    """The address of a point: the nearest building or address point within %(address)d m,
    else the nearest named street within %(street)d m, else the nearest named place within
    %(place)d m; 404 when none is that near."""

    __doc__ = (__doc__ or "") % {
        "address": ADDRESS_RADIUS_M,
        "street": STREET_RADIUS_M,
        "place": PLACE_RADIUS_M,
    }
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="geocode_reverse",
        parameters=[
            OpenApiParameter("lat", float, required=True, description="latitude, -90..90"),
            OpenApiParameter("lon", float, required=True, description="longitude, -180..180"),
        ],
        responses={200: ReverseAnswerSerializer, 400: FIELD_ERRORS, 404: DetailSerializer},
    )
    def get(self, request: Request) -> Response:
        params = ReverseQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        lat, lon = params.validated_data["lat"], params.validated_data["lon"]
        hit = queries.reverse(lat, lon, queries.regions_for(request.user))
        if hit is None:
            return Response(
                {
                    "detail": _(
                        "No address, street or place within %(m)s m of this point in your regions."
                    )
                    % {"m": round(PLACE_RADIUS_M)}
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(
            {
                "label": hit.label,
                "kind": hit.kind,
                "distance_m": hit.distance_m,
                "lat": round(hit.lat, 7),
                "lon": round(hit.lon, 7),
                "street": hit.street,
                "housenumber": hit.housenumber,
                "region": hit.region,
            }
        )
