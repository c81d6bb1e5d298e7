from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.equipment.models import EquipmentCheck, FacilityEquipment, Hydrant, HydrantCheck
from saqshy.facilities.api.fields import VisibleFacilityField


class HydrantSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text="Derived from the location (the region whose boundary contains it).",
    )
    kind_label = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:hydrant-detail")

    class Meta:
        model = Hydrant
        fields = [
            "id",
            "url",
            "code",
            "kind",
            "kind_label",
            "colour",
            "lat",
            "lon",
            "region",
            "address",
            "operable",
            "last_checked_on",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_checked_on", "created_at", "updated_at"]
        # The code is unique per region, and the region follows from the location: the
        # service checks it once the region is known.
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            missing = {
                k: [serializers.Field.default_error_messages["required"]]
                for k in ("lat", "lon")
                if k not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class NearbyHydrantSerializer(HydrantSerializer):
    distance_m = serializers.FloatField(read_only=True, help_text="Great-circle distance, m.")

    class Meta(HydrantSerializer.Meta):
        fields = [*HydrantSerializer.Meta.fields, "distance_m"]


class NearestQuerySerializer(serializers.Serializer):
    facility = serializers.IntegerField(help_text="The facility's id.")
    k = serializers.IntegerField(min_value=1, max_value=20, default=3)
    max_m = serializers.FloatField(min_value=1, max_value=20_000, default=2000)


class NearestResponseSerializer(serializers.Serializer):
    facility = serializers.IntegerField()
    count = serializers.IntegerField()
    results = NearbyHydrantSerializer(many=True)


class HydrantCheckSerializer(serializers.ModelSerializer):
    checked_by = serializers.CharField(source="checked_by.username", read_only=True, default="")

    class Meta:
        model = HydrantCheck
        fields = [
            "id",
            "hydrant",
            "checked_on",
            "operable",
            "pressure_ok",
            "access_clear",
            "note",
            "checked_by",
            "created_at",
        ]
        read_only_fields = ["hydrant", "created_at"]


class FacilityEquipmentSerializer(serializers.ModelSerializer):
    facility = VisibleFacilityField()
    kind_label = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = FacilityEquipment
        fields = [
            "id",
            "facility",
            "kind",
            "kind_label",
            "colour",
            "quantity",
            "model_name",
            "notes",
            "in_order",
            "last_checked_on",
            "next_check_due",
            "overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_checked_on", "created_at", "updated_at"]


class EquipmentCheckSerializer(serializers.ModelSerializer):
    checked_by = serializers.CharField(source="checked_by.username", read_only=True, default="")
    next_check_due = serializers.DateField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="When to check next; must be after this check. Left as it was if omitted.",
    )

    class Meta:
        model = EquipmentCheck
        fields = [
            "id",
            "equipment",
            "checked_on",
            "in_order",
            "note",
            "next_check_due",
            "checked_by",
            "created_at",
        ]
        read_only_fields = ["equipment", "created_at"]
