from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from saqshy.accounts.models import Agency, Region
from saqshy.facilities.models import Facility
from saqshy.pyrotechnics.choices import VisitResult
from saqshy.pyrotechnics.models import Outlet, Raid, RaidVisit, Seizure, SeizureLine


def _restrict_to_visible(serializer: serializers.Serializer[Any], name: str, model: Any) -> None:
    """Limit a related field's choices to the records the caller may view."""
    request = serializer.context.get("request")
    user = getattr(request, "user", None)
    field = serializer.fields[name]
    relation: Any = getattr(field, "child_relation", field)
    relation.queryset = model.objects.restrict(user, "view")


class OutletSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text="Derived from the location (the region whose boundary contains it).",
    )
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(),
        allow_null=True,
        required=False,
        help_text="A facility you may view; without lat/lon the outlet takes its location.",
    )
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)
    kind_label = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True)
    certificate_expired = serializers.BooleanField(
        read_only=True, help_text="The certificate expired before today, or none is recorded."
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:outlet-detail")

    class Meta:
        model = Outlet
        fields = [
            "id",
            "url",
            "kind",
            "kind_label",
            "colour",
            "name",
            "operator",
            "facility",
            "address",
            "lat",
            "lon",
            "region",
            "certificate_number",
            "certificate_expires",
            "certificate_expired",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _restrict_to_visible(self, "facility", Facility)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:  # a change keeps what it does not name
            return attrs
        given = [k for k in ("lat", "lon") if k in attrs]
        if len(given) == 1:
            missing = "lon" if given == ["lat"] else "lat"
            raise serializers.ValidationError({missing: [_("Give both latitude and longitude.")]})
        if not given and not attrs.get("facility"):
            raise serializers.ValidationError({"lat": [_("Give a location or link a facility.")]})
        return attrs


class RaidVisitSerializer(serializers.ModelSerializer):
    outlet_name = serializers.CharField(source="outlet.name", read_only=True)
    result_label = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True)

    class Meta:
        model = RaidVisit
        fields = ["id", "outlet", "outlet_name", "result", "result_label", "colour", "note"]
        read_only_fields = fields


class RaidSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), allow_null=True, required=False
    )
    status_label = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True)
    outlets = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Outlet.objects.none(),
        write_only=True,
        required=False,
        help_text=(
            "Ids of the outlets to visit, all in the raid's region. On update the list "
            "replaces the route; an outlet with a recorded result cannot be taken off it."
        ),
    )
    visits = RaidVisitSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:raid-detail")

    class Meta:
        model = Raid
        fields = [
            "id",
            "url",
            "planned_on",
            "region",
            "team",
            "agency",
            "status",
            "status_label",
            "colour",
            "notes",
            "outlets",
            "visits",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _restrict_to_visible(self, "outlets", Outlet)


class VisitResultSerializer(serializers.Serializer[Any]):
    """``POST …/raids/{id}/record-result/``: what the raid found at one outlet on its route."""

    outlet = serializers.IntegerField(help_text="The id of an outlet on this raid's route.")
    result = serializers.ChoiceField(choices=VisitResult.choices())
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SeizureLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SeizureLine
        fields = ["id", "product", "certified", "units", "boxes"]
        read_only_fields = ["id"]


class SeizureSerializer(serializers.ModelSerializer):
    outlet = serializers.PrimaryKeyRelatedField(
        queryset=Outlet.objects.all(),
        help_text="The outlet; the seizure belongs to its region.",
    )
    outlet_name = serializers.CharField(source="outlet.name", read_only=True)
    raid = serializers.PrimaryKeyRelatedField(
        queryset=Raid.objects.none(), allow_null=True, required=False
    )
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The outlet's region."
    )
    lines = SeizureLineSerializer(
        many=True,
        help_text="Every product seized. Required on create; on update the list replaces them.",
    )
    totals = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:seizure-detail")

    class Meta:
        model = Seizure
        fields = [
            "id",
            "url",
            "outlet",
            "outlet_name",
            "raid",
            "seized_on",
            "notes",
            "region",
            "lines",
            "totals",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _restrict_to_visible(self, "raid", Raid)

    def get_totals(self, seizure: Seizure) -> dict[str, int]:
        """Units and boxes over the lines, certified and uncertified."""
        return seizure.line_totals()

    def validate_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not lines:
            raise serializers.ValidationError(
                _("Add at least one line: what was seized, and how much.")
            )
        return lines


class TotalsQuerySerializer(serializers.Serializer[Any]):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all(), required=False
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"date_to": [_("The end of the period is before its start.")]}
            )
        return attrs


class TotalsRowSerializer(serializers.Serializer[Any]):
    region = serializers.CharField(allow_null=True, help_text="Region slug; null for the sum.")
    region_name = serializers.CharField(allow_null=True)
    raids_done = serializers.IntegerField()
    outlets_checked = serializers.IntegerField()
    violations = serializers.IntegerField()
    units_certified = serializers.IntegerField()
    units_uncertified = serializers.IntegerField()
    boxes_certified = serializers.IntegerField()
    boxes_uncertified = serializers.IntegerField()
    outlets_expired = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer[Any]):
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    results = TotalsRowSerializer(many=True)
    total = TotalsRowSerializer()
