"""The geocoding API's query parameters and answers (documented in the OpenAPI schema)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

KINDS = [("address", "address"), ("street", "street"), ("place", "place"), ("facility", "facility")]
"""The kinds of result (named ``GeocodeKindEnum`` in the schema, see ``apps.py``)."""


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200, help_text=_("What to look for: an address, street, place or facility.")
    )
    region = serializers.SlugField(
        required=False, help_text=_("Only this region (slug); default: every region you may see.")
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=50, default=10, help_text=_("At most this many.")
    )


class ReverseQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)


class SearchResultSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    kind = serializers.ChoiceField(choices=KINDS)
    score = serializers.FloatField(help_text=_("0-1, higher is a better match."))
    region = serializers.CharField()


class SearchAnswerSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True)


class ReverseAnswerSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=KINDS)
    distance_m = serializers.FloatField(
        help_text=_("From the point to the building (0 inside it), street or place.")
    )
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    street = serializers.CharField(allow_blank=True)
    housenumber = serializers.CharField(allow_blank=True)
    region = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
