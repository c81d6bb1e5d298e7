"""The manual warning form a dispatcher fills in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.roads.models import Segment
from saqshy.weather.models import WeatherWarning

_WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WarningForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("from"), widget=_WHEN)
    ends_at = forms.DateTimeField(label=_("until"), widget=_WHEN)

    class Meta:
        model = WeatherWarning
        fields = [
            "region",
            "kind",
            "level",
            "starts_at",
            "ends_at",
            "segments",
            "min_temperature_c",
            "max_gust_kmh",
            "snowfall_cm",
            "visibility_m",
            "note",
        ]
        widgets = {"segments": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args: Any, regions: Any, segments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        segment_field: Any = self.fields["segments"]
        segment_field.queryset = segments
        segment_field.help_text = _("The segments whose closure the warning proposes.")

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["segments"] = list(data.get("segments") or [])
        return data


def region_choices(user: Any) -> Any:
    from saqshy.core.scoping import user_scope

    scope = user_scope(user, WeatherWarning, "add")
    if scope.empty:
        return Region.objects.none()
    if scope.national:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.region_ids)


def segment_choices(user: Any) -> Any:
    return Segment.objects.restrict(user, "view").order_by("region__name_en", "code")
