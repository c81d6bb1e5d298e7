from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import District, Region
from saqshy.alerts.choices import (
    LANGUAGE_CODES,
    AreaKind,
    CapStatus,
    Category,
    Certainty,
    Severity,
    Urgency,
)
from saqshy.alerts.models import Alert, AlertArea, AlertInfo
from saqshy.alerts.queries import xml_url
from saqshy.core.api.fields import exercise_field
from saqshy.roads.models import Segment


class AlertInfoSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertInfo
        fields = (
            "language", "category", "event", "urgency", "severity", "certainty", "headline",
            "description", "instruction", "onset", "expires", "web", "contact",
        )  # fmt: skip


class AlertAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertArea
        fields = ("kind", "area_desc", "names", "polygons", "circles", "geocodes", "segment")


class CapAlertSerializer(serializers.ModelSerializer):
    """An alert with its texts and areas; ``xml_url`` is its public address once published."""

    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    approver = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    references = serializers.SlugRelatedField(slug_field="identifier", read_only=True)  # type: ignore[var-annotated]
    superseded_by = serializers.SlugRelatedField(slug_field="identifier", read_only=True)  # type: ignore[var-annotated]
    infos = AlertInfoSerializer(many=True, read_only=True)
    areas = AlertAreaSerializer(many=True, read_only=True)
    xml_url = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = (
            "id", "identifier", "sender", "sent", "status", "msg_type", "scope", "references",
            "references_text", "state", "source", "source_url", "author", "approver",
            "approved_at", "region", "active", "superseded_by", "infos", "areas", "xml_url",
            "is_exercise",
        )  # fmt: skip
        read_only_fields = fields

    def get_xml_url(self, alert: Alert) -> str | None:
        return xml_url(alert) if alert.xml else None


class InfoInputSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=LANGUAGE_CODES)
    category = serializers.ChoiceField(choices=Category.choices(), default=Category.MET)
    event = serializers.CharField(max_length=255)
    urgency = serializers.ChoiceField(choices=Urgency.choices())
    severity = serializers.ChoiceField(choices=Severity.choices())
    certainty = serializers.ChoiceField(choices=Certainty.choices())
    headline = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    instruction = serializers.CharField(required=False, allow_blank=True, default="")
    onset = serializers.DateTimeField(required=False, allow_null=True, default=None)
    expires = serializers.DateTimeField(required=False, allow_null=True, default=None)
    web = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class AreaInputSerializer(serializers.Serializer):
    """One area: ``kind`` region / district / segment / drawn and the matching field."""

    kind = serializers.ChoiceField(choices=[c for c in AreaKind.choices() if c[0] != "received"])
    region = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all(), required=False, allow_null=True
    )
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    segment = serializers.PrimaryKeyRelatedField(
        queryset=Segment.objects.all(), required=False, allow_null=True
    )
    polygon = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        required=False,
        max_length=500,
    )
    area_desc = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class AlertInputSerializer(serializers.Serializer):
    """A new alert (a draft): its region, CAP status, texts per language and areas."""

    region = serializers.SlugRelatedField(slug_field="slug", queryset=Region.objects.all())
    status = serializers.ChoiceField(choices=CapStatus.choices(), default=CapStatus.ACTUAL)
    is_exercise = exercise_field()
    infos = InfoInputSerializer(many=True, allow_empty=False)
    areas = AreaInputSerializer(many=True, allow_empty=False)


class FollowUpSerializer(serializers.Serializer):
    """An update (new texts and/or areas; the original's are kept where left out)."""

    infos = InfoInputSerializer(many=True, required=False)
    areas = AreaInputSerializer(many=True, required=False)


def area_arguments(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "region": data.get("region"),
        "district": data.get("district"),
        "segment": data.get("segment"),
        "polygon": data.get("polygon"),
        "area_desc": data.get("area_desc", ""),
    }
