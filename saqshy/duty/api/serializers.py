from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from saqshy.accounts.models import Agency, District, Region
from saqshy.duty.models import Absence, Person, Post, PostNeed, Readiness, Shift


class PersonSerializer(serializers.ModelSerializer):
    agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all()
    )
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Region.objects.all(),
        required=False,
        help_text="Defaults to the agency's region.",
    )
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    skills = serializers.ListField(child=serializers.CharField(max_length=40), required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "agency",
            "region",
            "district",
            "personnel_number",
            "first_name",
            "last_name",
            "position",
            "skills",
            "weekly_hours",
            "phone",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # The (agency, personnel number) uniqueness is checked by the model on save.
        validators: list[Any] = []


class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the caller may see; anyone else is unknown input (400), never a leak."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return Person.objects.restrict(getattr(request, "user", None), "view")


class AbsenceSerializer(serializers.ModelSerializer):
    person = VisiblePersonField()

    class Meta:
        model = Absence
        fields = ["id", "person", "kind", "starts_at", "ends_at", "note", "created_at"]
        read_only_fields = ["created_at"]


class PostNeedSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = PostNeed
        fields = ["agency", "skill", "people"]
        read_only_fields = fields


class StaffingSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    needed = serializers.IntegerField(help_text="People per hour, readiness level applied.")
    on_shift = serializers.IntegerField()
    short = serializers.IntegerField()
    status = serializers.CharField()


class PostSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.slug", read_only=True)
    needs = PostNeedSerializer(many=True, read_only=True)
    staffing = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "kind",
            "name",
            "region",
            "district",
            "facility",
            "gathering",
            "lat",
            "lon",
            "starts_at",
            "ends_at",
            "derived_from",
            "needs",
            "staffing",
        ]
        read_only_fields = fields

    @extend_schema_field(StaffingSerializer(allow_null=True))
    def get_staffing(self, post: Post) -> dict[str, Any] | None:
        found = self.context.get("staffing", {}).get(post.pk)
        if found is None:
            return None
        data: dict[str, Any] = StaffingSerializer(found).data
        return data


class DeriveSerializer(serializers.Serializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class DeriveResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    removed = serializers.IntegerField()
    orphaned = serializers.ListField(child=serializers.IntegerField())
    notes = serializers.ListField(child=serializers.CharField())


class ShiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shift
        fields = ["id", "person", "post", "starts_at", "ends_at"]
        read_only_fields = fields


class ReadinessSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    set_by = serializers.CharField(source="set_by.username", read_only=True, default=None)

    class Meta:
        model = Readiness
        fields = [
            "id",
            "region",
            "agency",
            "level",
            "starts_at",
            "ends_at",
            "reason",
            "set_by",
            "created_at",
        ]
        read_only_fields = ["set_by", "created_at"]


class EndReadinessSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, help_text="Default: now.")


class ReadinessNowSerializer(serializers.Serializer):
    level = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    colour = serializers.CharField()
    staffing_multiplier = serializers.FloatField()
    reserve_share = serializers.FloatField()
    record = serializers.IntegerField(allow_null=True)
