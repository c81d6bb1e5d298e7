"""``/api/indicators/``: the commission's figures per region and day, for a query."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from saqshy.core.indicators import add, visible_region_ids
from saqshy.indicators import params, queries


class FigureSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField(help_text="the count, or the part of a share")
    base = serializers.FloatField(allow_null=True, help_text="a share's whole; null for a count")
    shown = serializers.FloatField(
        allow_null=True, help_text="the count, or the share in percent (null: a share of nothing)"
    )


class RegionFiguresSerializer(serializers.Serializer):
    region = serializers.SlugField()
    name = serializers.CharField()
    days = FigureSerializer(many=True)


class IndicatorFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    brief_line = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.ChoiceField(choices=["count", "share"])
    higher_is_better = serializers.BooleanField()
    regions = RegionFiguresSerializer(many=True)
    national = FigureSerializer(
        many=True,
        allow_null=True,
        help_text="the roll-up over every region (null unless you see them all): counts add, "
        "shares add their parts",
    )


class IndicatorsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    indicators = IndicatorFiguresSerializer(many=True)


def _day(day: Any, figure: Any) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "value": figure.value,
        "base": figure.base,
        "shown": None if figure.shown is None else round(figure.shown, 4),
    }


class IndicatorsView(APIView):
    """The commission's indicators per region and day, in the regions where you may view the
    records each counts (``docs/indicators.md`` defines each one). At most 92 days; a bad
    parameter is a 400 naming it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("codes", str, description="comma-separated codes; default: all"),
            OpenApiParameter("region", str, description="region slug; default: all you see"),
            OpenApiParameter("from", str, description="yyyy-mm-dd or dd.mm.yyyy; default: to"),
            OpenApiParameter("to", str, description="yyyy-mm-dd or dd.mm.yyyy; default: yesterday"),
        ],
        responses={
            200: IndicatorsSerializer,
            400: OpenApiResponse(
                description="A bad parameter, named with its problem: an unknown code, a region "
                "that does not exist or that you may not see, a date that is not one, an end "
                "before the start, more than 92 days."
            ),
        },
    )
    def get(self, request: Request) -> Response:
        try:
            query = params.read(request.query_params)
        except params.QueryError as error:
            raise serializers.ValidationError(
                {field: [message] for field, message in error.errors.items()}
            ) from error
        everywhere = queries.regions()
        names = {region.pk: region for region in everywhere}
        answer = []
        for ind in query.indicators:
            ids = visible_region_ids(request.user, ind, names)
            if query.region is not None:
                ids = [pk for pk in ids if pk == query.region.pk]
            per_day = queries.per_region_days(ind, ids, query.first, query.last) if ids else {}
            national = None
            if query.region is None and queries.is_national(ids, everywhere):
                national = [
                    _day(day, add(figures.values(), ind.unit)) for day, figures in per_day.items()
                ]
            answer.append(
                {
                    "code": ind.code,
                    "label": str(ind.label),
                    "brief_line": str(ind.brief_line),
                    "definition": str(ind.definition),
                    "unit": ind.unit,
                    "higher_is_better": ind.higher_is_better,
                    "regions": [
                        {
                            "region": names[pk].slug,
                            "name": names[pk].display_name,
                            "days": [_day(day, figures[pk]) for day, figures in per_day.items()],
                        }
                        for pk in ids
                    ],
                    "national": national,
                }
            )
        if query.region is not None and not any(item["regions"] for item in answer):
            raise serializers.ValidationError({"region": [_("No such region in your scope.")]})
        return Response(
            {
                "date_from": query.first.isoformat(),
                "date_to": query.last.isoformat(),
                "indicators": answer,
            }
        )


def register(router: DefaultRouter) -> None:
    """No viewsets: the one route is below."""


urlpatterns = [path("indicators/", IndicatorsView.as_view(), name="indicators")]
