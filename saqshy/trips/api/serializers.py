from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from saqshy.accounts.models import Region, User
from saqshy.duty.models import Person
from saqshy.facilities.api.fields import VisibleFacilityField
from saqshy.incidents.models import Unit
from saqshy.trips.choices import TripStatus, VehicleKind
from saqshy.trips.models import Trip, route_errors


class TripVehicleSerializer(serializers.Serializer):
    plate = serializers.CharField(max_length=20)
    kind = serializers.ChoiceField(choices=VehicleKind.choices())
    seats = serializers.IntegerField(min_value=1, max_value=100)


class TripDriverSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    licence = serializers.CharField(max_length=40)


class TripEscortSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    user = serializers.CharField(allow_null=True)


class EscortConflictSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    reason = serializers.CharField()
    ref = serializers.IntegerField(allow_null=True)
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)


class EscortCheckSerializer(serializers.Serializer):
    escort = TripEscortSerializer(allow_null=True)
    free = serializers.BooleanField()
    buffer_minutes = serializers.IntegerField()
    conflicts = EscortConflictSerializer(many=True)


class TripSerializer(serializers.ModelSerializer):
    """A trip; status, region and escort are read-only here (actions and services set them)."""

    organiser_facility = VisibleFacilityField(required=False, allow_null=True)
    organiser = serializers.CharField(max_length=255, required=False)
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    vehicles = TripVehicleSerializer(many=True, required=False)
    drivers = TripDriverSerializer(many=True, required=False)
    escort = serializers.SerializerMethodField()

    class Meta:
        model = Trip
        fields = [
            "id",
            "organiser",
            "organiser_facility",
            "organiser_ref",
            "region",
            "children_count",
            "adults_count",
            "departs_at",
            "returns_at",
            "departure_name",
            "departure_lat",
            "departure_lon",
            "destination_name",
            "destination_lat",
            "destination_lon",
            "route_text",
            "route",
            "vehicles",
            "drivers",
            "contact_name",
            "contact_phone",
            "status",
            "status_reason",
            "approved_at",
            "departed_at",
            "arrived_at",
            "returned_at",
            "escort",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "status_reason",
            "approved_at",
            "departed_at",
            "arrived_at",
            "returned_at",
            "created_at",
            "updated_at",
        ]

    def validate_route(self, value: Any) -> Any:
        problems = route_errors(value)
        if problems:
            raise serializers.ValidationError(problems)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        creating = self.instance is None
        if creating and not attrs.get("organiser") and not attrs.get("organiser_facility"):
            raise serializers.ValidationError(
                {"organiser": [_("Name the organiser or choose the school or kindergarten.")]}
            )
        return attrs

    @extend_schema_field(EscortCheckSerializer)
    def get_escort(self, trip: Trip) -> dict[str, Any]:
        checks: dict[int, Any] = self.context.get("escorts", {})
        found = checks.get(trip.pk)
        if found is None:
            return {"escort": None, "free": False, "buffer_minutes": 0, "conflicts": []}
        result: dict[str, Any] = found.as_dict()
        return result


class TripReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class TripRejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class _Visible(serializers.PrimaryKeyRelatedField):
    """A record the caller may see; any other id reads as unknown (400)."""

    model: Any = None

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", self.model.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = self.model.objects.select_related("agency")
        return queryset.restrict(request.user, "view") if request else queryset.none()


class VisiblePersonField(_Visible):
    model = Person


class VisibleUnitField(_Visible):
    model = Unit


class AssignEscortSerializer(serializers.Serializer):
    """Either ``person`` (an officer from the roster) or ``unit``; ``user`` (a username) is the
    escort's own account, which may then report the trip's live status."""

    person = VisiblePersonField(required=False, allow_null=True, default=None)
    unit = VisibleUnitField(required=False, allow_null=True, default=None)
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )


class TripStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(value, TripStatus.label(value)) for value in TripStatus.LIVE]
    )


class EscortCandidateSerializer(serializers.Serializer):
    """One officer offered for a trip's escort (documentation of the search's answer)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    personnel_number = serializers.CharField()
    rank = serializers.CharField()
    agency = serializers.CharField()
    free = serializers.BooleanField(help_text="Free for the whole trip, buffer included")
    conflicts = serializers.ListField(child=serializers.CharField())


class EscortCandidatesSerializer(serializers.Serializer):
    results = EscortCandidateSerializer(many=True)
