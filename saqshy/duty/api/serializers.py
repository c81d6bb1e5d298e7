from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from saqshy.accounts.models import Agency, District, Region
from saqshy.duty.models import (
    Absence,
    PatrolPlan,
    PatrolStop,
    Person,
    PlanRun,
    Post,
    PostNeed,
    Readiness,
    Shift,
)


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
    """``name`` is in the request's language; a generated name also carries its
    ``name_code`` and ``name_params`` (``core.messages``)."""

    name = serializers.CharField(source="display_name", read_only=True)
    region = serializers.CharField(source="region.slug", read_only=True)
    needs = PostNeedSerializer(many=True, read_only=True)
    staffing = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "kind",
            "name",
            "name_code",
            "name_params",
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
        fields = ["id", "person", "post", "starts_at", "ends_at", "skill", "plan_run"]
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


class PlanRunSerializer(serializers.ModelSerializer):
    """A plan run. Write ``region``, ``starts_at``, ``ends_at`` and optionally ``kind``
    (roster or staffing), ``district`` and ``time_limit_s`` to request one; the rest is
    filled in by the background task. ``gaps`` carry ``reason_text``, a translated sentence."""

    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(
        choices=[("roster", "roster"), ("staffing", "staffing")], required=False
    )
    time_limit_s = serializers.FloatField(required=False, min_value=0.5, max_value=300)
    gaps = serializers.SerializerMethodField()

    class Meta:
        model = PlanRun
        fields = [
            "id",
            "kind",
            "region",
            "district",
            "starts_at",
            "ends_at",
            "time_limit_s",
            "status",
            "progress",
            "message",
            "solver_status",
            "objective",
            "best_bound",
            "gap",
            "wall_time_s",
            "coverage",
            "needed_hours",
            "staffed_hours",
            "shift_count",
            "gap_spans",
            "gaps",
            "changes",
            "summary",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "task_id",
        ]
        read_only_fields = [
            f
            for f in fields
            if f not in {"kind", "region", "district", "starts_at", "ends_at", "time_limit_s"}
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_gaps(self, run: PlanRun) -> list[dict[str, Any]]:
        from saqshy.duty.rosters.display import in_reader_language
        from saqshy.duty.rosters.planning import gap_text

        gaps, _summary, _changes = in_reader_language(run)
        return [{**row, "reason_text": gap_text(row)} for row in gaps]


class PatrolPlanSerializer(serializers.ModelSerializer):
    """A patrol plan. Write ``region``, ``starts_at``, ``ends_at`` and optionally
    ``slot_minutes`` to make one from the region's newest forecast and patrol units."""

    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    slot_minutes = serializers.IntegerField(required=False, min_value=15, max_value=240)
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = PatrolPlan
        fields = [
            "id",
            "region",
            "name",
            "name_code",
            "name_params",
            "starts_at",
            "ends_at",
            "slot_minutes",
            "forecast",
            "cells",
            "crews",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "name",
            "name_code",
            "name_params",
            "forecast",
            "cells",
            "crews",
            "created_at",
        ]


class PatrolStopSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatrolStop
        fields = [
            "id",
            "crew",
            "unit",
            "order",
            "cell",
            "lat",
            "lon",
            "address",
            "risk",
            "arrive_at",
            "leave_at",
        ]
        read_only_fields = fields
