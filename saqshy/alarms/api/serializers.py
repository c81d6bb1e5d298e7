from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import District, Region
from saqshy.alarms.choices import CALLBACK_ANSWERS
from saqshy.alarms.models import (
    CallBack,
    Household,
    HouseholdCategory,
    Installation,
    InstallationCampaign,
)
from saqshy.ingest.models import Device


def _visible(serializer: serializers.Serializer[Any], name: str, queryset: Any) -> None:
    """Limit a related field's choices to the records the caller may view."""
    request = serializer.context.get("request")
    serializer.fields[name].queryset = queryset.restrict(getattr(request, "user", None), "view")  # type: ignore[attr-defined]


class HouseholdSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=HouseholdCategory.objects.all()
    )
    region = serializers.SlugRelatedField(slug_field="slug", queryset=Region.objects.all())
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), allow_null=True, required=False
    )
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)

    class Meta:
        model = Household
        fields = [
            "id",
            "category",
            "address",
            "lat",
            "lon",
            "region",
            "district",
            "contact_name",
            "contact_phone",
            "language",
            "consent_given",
            "consent_date",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        district = attrs.get("district")
        region = attrs.get("region") or getattr(self.instance, "region", None)
        if district is not None and region is not None and district.region_id != region.pk:
            raise serializers.ValidationError({"district": ["Not a district of this region."]})
        return attrs


class InstallationSerializer(serializers.ModelSerializer):
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none())
    device = serializers.SlugRelatedField(slug_field="serial", queryset=Device.objects.none())
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=InstallationCampaign.objects.none(), allow_null=True, required=False
    )
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    model = serializers.CharField(source="device.model", read_only=True)
    firmware = serializers.CharField(source="device.firmware", read_only=True)

    class Meta:
        model = Installation
        fields = [
            "id",
            "household",
            "device",
            "model",
            "firmware",
            "region",
            "district",
            "room",
            "installer_name",
            "installed_on",
            "campaign",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "district", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from saqshy.alarms.queries import households_for

        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["household"].queryset = households_for(user)  # type: ignore[attr-defined]
        _visible(self, "device", Device.objects)
        _visible(self, "campaign", InstallationCampaign.objects)


class DistrictProgressSerializer(serializers.Serializer):
    district_id = serializers.IntegerField(allow_null=True)
    district = serializers.CharField()
    target = serializers.IntegerField()
    installed = serializers.IntegerField()
    percent = serializers.IntegerField()


class InstallationCampaignSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", queryset=Region.objects.all())
    targets = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        write_only=True,
        required=False,
        help_text="Target per district: {district id: count}.",
    )
    progress = serializers.SerializerMethodField()

    class Meta:
        model = InstallationCampaign
        fields = [
            "id",
            "name",
            "region",
            "starts_on",
            "ends_on",
            "target_count",
            "notes",
            "targets",
            "progress",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_progress(self, campaign: InstallationCampaign) -> list[dict[str, Any]]:
        from saqshy.alarms.queries import campaign_progress

        request = self.context.get("request")
        rows = campaign_progress(getattr(request, "user", None), campaign)
        return [DistrictProgressSerializer(row).data for row in rows]

    def validate_targets(self, value: dict[str, int]) -> dict[District, int]:
        try:
            ids = {int(key): count for key, count in value.items()}
        except ValueError:
            raise serializers.ValidationError("Keys must be district ids.") from None
        districts = District.objects.in_bulk(list(ids))
        missing = sorted(set(ids) - set(districts))
        if missing:
            raise serializers.ValidationError(f"Unknown district ids: {missing}.")
        return {districts[pk]: count for pk, count in ids.items()}


class CallBackSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallBack
        fields = [
            "id",
            "incident",
            "household",
            "transport",
            "to_number",
            "language",
            "status",
            "sent_at",
            "answer",
            "answer_text",
            "answered_at",
            "answered_by",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=CALLBACK_ANSWERS)
    text = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
