from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from saqshy.accounts.models import Agency, District, Region
from saqshy.facilities.api.fields import VisibleFacilityField
from saqshy.facilities.choices import FacilityKind
from saqshy.outreach.choices import Topic
from saqshy.outreach.models import Campaign, ParentMeeting, material_errors


class OutreachCampaignSerializer(serializers.ModelSerializer):
    """A campaign; its region and agencies by slug/code, districts by id. ``status`` is
    read-only here (``start``, ``finish`` and ``resume`` move it)."""

    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    owner: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all()
    )
    districts: serializers.PrimaryKeyRelatedField[District] = serializers.PrimaryKeyRelatedField(
        many=True, queryset=District.objects.all(), required=False
    )
    materials = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=20
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "title_kk",
            "title_ru",
            "topic",
            "channel",
            "audience",
            "region",
            "districts",
            "starts_on",
            "ends_on",
            "planned_reach",
            "reached",
            "materials",
            "owner",
            "status",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "created_at", "updated_at"]

    def validate_materials(self, value: list[str]) -> list[str]:
        problems = material_errors(value)
        if problems:
            raise serializers.ValidationError(problems)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.instance
        region = attrs.get("region") or (current.region if current else None)
        districts = attrs.get("districts")
        if districts is None and current is not None and "region" in attrs:
            districts = list(current.districts.all())
        if region is not None and districts and any(d.region_id != region.pk for d in districts):
            raise serializers.ValidationError(
                {"districts": [_("Every district must lie in the region.")]}
            )
        starts = attrs.get("starts_on") or (current.starts_on if current else None)
        ends = attrs.get("ends_on") or (current.ends_on if current else None)
        if starts and ends and ends < starts:
            raise serializers.ValidationError(
                {"ends_on": [_("The end must not be before the start.")]}
            )
        return attrs


class ParentMeetingSerializer(serializers.ModelSerializer):
    """A parent meeting; region and district follow the school and are read-only."""

    school = VisibleFacilityField()
    school_name = serializers.SerializerMethodField()
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    held_by_agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices()), allow_empty=False
    )

    class Meta:
        model = ParentMeeting
        fields = [
            "id",
            "school",
            "school_name",
            "region",
            "district",
            "held_on",
            "attendees",
            "grade",
            "topics",
            "held_by_agency",
            "held_by",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "region", "district", "created_at", "updated_at"]

    def get_school_name(self, meeting: ParentMeeting) -> str:
        return str(meeting.school)

    def validate_school(self, school: Any) -> Any:
        if school.kind != FacilityKind.SCHOOL:
            raise serializers.ValidationError(_("Choose a school."))
        return school

    def validate_topics(self, topics: list[str]) -> list[str]:
        if len(set(topics)) != len(topics):
            raise serializers.ValidationError(_("Name each topic once."))
        return topics


class ReachSerializer(serializers.Serializer[Any]):
    reached = serializers.IntegerField(min_value=0)
