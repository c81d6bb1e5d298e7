from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from saqshy.accounts.models import Agency, Region
from saqshy.core.api.fields import exercise_field
from saqshy.facilities.api.fields import VisibleFacilityField
from saqshy.incidents.choices import IncidentStatus
from saqshy.incidents.models import Incident, IncidentType, IncidentUnit, JournalEntry, Unit
from saqshy.ingest.choices import DeviceKind
from saqshy.ingest.models import Device


class AssignmentSerializer(serializers.ModelSerializer):
    call_sign = serializers.CharField(source="unit.call_sign", read_only=True)
    kind = serializers.CharField(source="unit.kind", read_only=True)

    class Meta:
        model = IncidentUnit
        fields = ["unit", "call_sign", "kind", "assigned_at", "released_at"]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    type: serializers.SlugRelatedField[IncidentType] = serializers.SlugRelatedField(
        slug_field="code", queryset=IncidentType.objects.all()
    )
    type_name = serializers.CharField(source="type.display_name", read_only=True)
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text="Derived from the location (the region whose boundary contains it).",
    )
    priority = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="Defaults to the type's priority."
    )
    assignments = AssignmentSerializer(many=True, read_only=True)
    agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text="The agency whose desk took the call (set on intake from the recorder's "
        "grant); null for a call the system recorded.",
    )
    agency_id = serializers.IntegerField(read_only=True, allow_null=True)
    # Incidents are never edited through the API: this is written only on create.
    is_exercise = exercise_field()

    class Meta:
        model = Incident
        fields = [
            "id",
            "type",
            "type_name",
            "agency",
            "agency_id",
            "priority",
            "source",
            "lat",
            "lon",
            "address",
            "description",
            "reporter",
            "region",
            "status",
            "reported_at",
            "dispatched_at",
            "on_scene_at",
            "closed_at",
            "duplicate_of",
            "merged_at",
            "is_exercise",
            "assignments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "dispatched_at",
            "on_scene_at",
            "closed_at",
            "duplicate_of",
            "merged_at",
            "created_at",
            "updated_at",
        ]


class JournalEntrySerializer(serializers.ModelSerializer):
    """``text`` is the line in the request's language; an automatic line also carries its
    ``code`` and ``params`` (``core.messages``), a note an empty code."""

    author = serializers.CharField(source="author.username", read_only=True, default=None)
    text = serializers.CharField(source="display_text", read_only=True)

    class Meta:
        model = JournalEntry
        fields = ["id", "at", "author", "kind", "text", "code", "params"]
        read_only_fields = ["id", "at", "author", "kind", "text", "code", "params"]


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()


class AdvanceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=IncidentStatus.choices())
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    resolution = serializers.CharField(required=False, allow_blank=True, default="")


class DispatchSerializer(serializers.Serializer):
    units = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class VisibleTrackerField(serializers.SlugRelatedField):
    """A vehicle tracker by its device id; one outside the caller's scope is refused exactly
    like a missing one."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "does_not_exist": _("No vehicle tracker has this device id."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Device.objects.filter(kind=DeviceKind.TRACKER))
        super().__init__(slug_field="serial", **kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = Device.objects.filter(kind=DeviceKind.TRACKER)
        return queryset.restrict(request.user, "view") if request else queryset.none()


class UnitSerializer(serializers.ModelSerializer):
    agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all()
    )
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    home_station = VisibleFacilityField(required=False, allow_null=True)
    tracker = VisibleTrackerField(
        required=False,
        allow_null=True,
        help_text="Device id of the unit's vehicle tracker, whose fixes "
        "(`saqshy/positions/{tracker}/fix`) move it; null: none fitted.",
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "call_sign",
            "kind",
            "agency",
            "region",
            "home_station",
            "crew",
            "status",
            "status_reason",
            "tracker",
            "lat",
            "lon",
            "position_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["lat", "lon", "position_at", "created_at", "updated_at"]
        # The (agency, call sign) uniqueness is checked by the model on save.
        validators: list[Any] = []


class PositionResultSerializer(UnitSerializer):
    """The unit after a position fix, and whether the fix was ignored as older than the
    stored one (positions only move forward in time)."""

    position_ignored = serializers.BooleanField(read_only=True)

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "position_ignored"]


class PositionSerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    at = serializers.DateTimeField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A fix outside every region is refused (on ``lat``), as an incident there is."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        from saqshy.accounts.queries import region_id_containing

        try:
            region_id_containing(attrs["lat"], attrs["lon"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


class CandidateSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    call_sign = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    agency = serializers.CharField(help_text="The agency's code.")
    agency_name = serializers.CharField(help_text="The agency's name in the request's language.")
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    eta_seconds = serializers.FloatField(allow_null=True)
    meters = serializers.FloatField(
        allow_null=True, help_text="Shortest road distance from the unit's last position."
    )
    suggested = serializers.BooleanField()
    why_not = serializers.CharField(
        allow_null=True,
        help_text="Why not recommended: busy, wrong_kind, no_position, unreachable, "
        "out_of_region; null for recommended units.",
    )
    reason = serializers.CharField()


class RecommendationsSerializer(serializers.Serializer):
    incident = serializers.IntegerField()
    needs = serializers.DictField(child=serializers.IntegerField())
    assigned = serializers.DictField(
        child=serializers.IntegerField(), help_text="Units of each kind already on the incident."
    )
    missing = serializers.DictField(child=serializers.IntegerField())
    incident_snap_meters = serializers.FloatField(allow_null=True)
    recommended = CandidateSerializer(many=True)
    others = CandidateSerializer(many=True)


class IndicatorRowSerializer(serializers.Serializer):
    key = serializers.JSONField(help_text="type code, agency code, region slug or hour (0–23)")
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    median_seconds = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.FloatField(allow_null=True)
    norm_seconds = serializers.FloatField(
        allow_null=True, help_text="The norm when the whole group has one; null if none or mixed."
    )
    norms_vary = serializers.BooleanField(help_text="Regions of the group set different norms.")
    with_norm = serializers.IntegerField(help_text="Incidents of the group that have a norm.")
    within_norm = serializers.IntegerField(help_text="Of those, how many met it.")
    share_within_norm = serializers.FloatField(allow_null=True)


class MeasureSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["call_to_dispatch", "dispatch_to_on_scene"])
    label = serializers.CharField()  # type: ignore[assignment]
    overall = IndicatorRowSerializer()
    by_type = IndicatorRowSerializer(many=True)
    by_agency = IndicatorRowSerializer(many=True)
    by_region = IndicatorRowSerializer(many=True)
    by_hour = IndicatorRowSerializer(many=True)


class NormInUseSerializer(serializers.Serializer):
    code = serializers.CharField()
    national_seconds = serializers.FloatField(allow_null=True)
    description = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    regional_overrides = serializers.ListField(child=serializers.IntegerField())


class ResponseIndicatorsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    norms = NormInUseSerializer(many=True)
    measures = MeasureSerializer(many=True)
