from __future__ import annotations

from rest_framework import serializers

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Agency, Grant, Norm, Region, Role, User


class RegionSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = [
            "id",
            "iso_code",
            "slug",
            "kind",
            "display_name",
            "name_kk",
            "name_ru",
            "name_en",
            "centre_lat",
            "centre_lon",
            "bbox",
        ]


class RegionDetailSerializer(RegionSerializer):
    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "boundary"]


class AgencySerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    kind_label = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "kind",
            "kind_label",
            "display_name",
            "name_kk",
            "name_ru",
            "name_en",
            "region",
        ]

    def get_kind_label(self, agency: Agency) -> str:
        return str(AgencyKind.label(agency.kind))


class GrantSerializer(serializers.ModelSerializer):
    agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    role: serializers.SlugRelatedField[Role] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Grant
        fields = ["agency", "region", "role"]


class MeSerializer(serializers.ModelSerializer):
    grants = GrantSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "language", "is_superuser", "grants"]


class NormSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Norm
        fields = ["id", "code", "region", "value", "unit", "description", "source"]
