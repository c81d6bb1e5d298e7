from __future__ import annotations

from rest_framework import serializers

from saqshy.accounts.models import Region
from saqshy.facilities.choices import FacilityKind
from saqshy.prevention.models import Campaign


class CampaignSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all()
    )
    facility_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=FacilityKind.choices()), allow_empty=False
    )

    class Meta:
        model = Campaign
        fields = ["id", "name", "region", "facility_kinds", "starts_on", "deadline", "notes"]


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    value = serializers.CharField()
    points = serializers.FloatField()


class QueueItemSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    facility = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    total = serializers.FloatField()
    factors = FactorSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    group = serializers.CharField()
    planned = serializers.IntegerField()
    inspected = serializers.IntegerField()
    violations_found = serializers.IntegerField()
    eliminated = serializers.IntegerField()
    cleared = serializers.IntegerField()
    percent_cleared = serializers.FloatField()
