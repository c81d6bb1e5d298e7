from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import District, Region
from saqshy.ingest.models import Device


class DeviceSerializer(serializers.ModelSerializer):
    """A device as integrators see it; the HTTPS signing key is never shown."""

    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    district: serializers.PrimaryKeyRelatedField[District] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Device
        fields = [
            "id",
            "serial",
            "kind",
            "model",
            "region",
            "district",
            "status",
            "last_heartbeat",
            "last_message_at",
            "battery_low",
        ]
        read_only_fields = fields


class DeviceMessageBodySerializer(serializers.Serializer[Any]):
    """The JSON a device posts (the same payload as over MQTT)."""

    id = serializers.CharField(max_length=64, help_text="Message id, unique per device.")
    time = serializers.DateTimeField(help_text="Device time, ISO 8601 with an offset.")


class TelemetryBodySerializer(DeviceMessageBodySerializer):
    value = serializers.FloatField(help_text="The measured value.")


class PositionBodySerializer(DeviceMessageBodySerializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text="Latitude, degrees.")
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text="Longitude, degrees.")


class AcceptedSerializer(serializers.Serializer[Any]):
    stored = serializers.BooleanField(help_text="False when the message was already stored.")
