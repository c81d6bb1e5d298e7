from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.ingest.models import Reading
from saqshy.lifelines.models import Alert, Outage, Parameter, UtilitySite


class UtilitySiteSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    lat = serializers.FloatField(source="facility.lat", read_only=True)
    lon = serializers.FloatField(source="facility.lon", read_only=True)
    serial = serializers.CharField(source="gateway.serial", read_only=True)
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = UtilitySite
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "facility",
            "serial",
            "region",
            "agency",
            "lat",
            "lon",
            "buildings",
            "people",
            "service_area",
        ]
        read_only_fields = fields

    def get_name(self, site: UtilitySite) -> str:
        return str(site.facility)


class AlertSerializer(serializers.ModelSerializer):
    parameter: serializers.SlugRelatedField[Parameter] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "site",
            "parameter",
            "status",
            "value",
            "expected",
            "started",
            "last_at",
            "raised_at",
            "cleared_at",
        ]
        read_only_fields = fields


class OutageSerializer(serializers.ModelSerializer):
    site_name = serializers.SerializerMethodField()

    class Meta:
        model = Outage
        fields = [
            "id",
            "site",
            "site_name",
            "incident",
            "alert",
            "status",
            "started",
            "cause",
            "crew_post",
            "crew",
            "crew_sent_at",
            "estimated_restoration",
            "restored_at",
            "buildings",
            "people",
        ]
        read_only_fields = [
            "id",
            "site",
            "site_name",
            "incident",
            "alert",
            "status",
            "started",
            "crew_post",
            "crew_sent_at",
            "restored_at",
            "buildings",
            "people",
        ]

    def get_site_name(self, outage: Outage) -> str:
        return str(outage.site.facility)


class ReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reading
        fields = ["parameter", "at", "value"]
        read_only_fields = fields


class ReadingRangeSerializer(serializers.Serializer[Any]):
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    parameter = serializers.CharField(required=False)


class RestoreSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField(required=False)
