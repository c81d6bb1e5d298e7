from __future__ import annotations

from typing import Any

from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.facilities.models import Facility


class FacilitySerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text="Derived from the location (the region whose boundary contains it).",
    )
    display_name = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:facility-detail")

    class Meta:
        model = Facility
        fields = [
            "id",
            "url",
            "kind",
            "kind_label",
            "colour",
            "display_name",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "address",
            "lat",
            "lon",
            "footprint",
            "region",
            "district",
            "capacity",
            "capacity_source",
            "operator",
            "contact_phone",
            "website",
            "has_fire_alarm",
            "has_sprinklers",
            "exits",
            "storeys",
            "osm_ref",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["osm_ref", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and ("lat" not in attrs or "lon" not in attrs):
            missing = {
                k: [serializers.Field.default_error_messages["required"]]
                for k in ("lat", "lon")
                if k not in attrs
            }
            raise serializers.ValidationError(missing)
        return attrs
