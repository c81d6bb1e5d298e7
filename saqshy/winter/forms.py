"""Forms of the winter pages: a stranded report, a warming point's occupancy by phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.winter.choices import FUEL_LEFT, VEHICLE_KINDS, FuelLeft, VehicleKind


class StrandedForm(forms.Form):
    location = forms.CharField(label=_("Where"), max_length=255)
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=10000)
    children = forms.IntegerField(label=_("Of them children"), min_value=0, initial=0)
    medical_needs = forms.CharField(
        label=_("Medical needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fuel_left = forms.ChoiceField(label=_("Fuel left"), choices=FUEL_LEFT, initial=FuelLeft.UNKNOWN)
    vehicles = forms.IntegerField(label=_("Vehicles"), min_value=0, initial=1)
    vehicle_kind = forms.ChoiceField(
        label=_("Vehicle kind"), choices=VEHICLE_KINDS, initial=VehicleKind.CAR
    )
    reporter_phone = forms.CharField(label=_("Caller's phone"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        people, children = data.get("people"), data.get("children")
        if people is not None and children is not None and children > people:
            self.add_error("children", _("There cannot be more children than people."))
        return data


class OccupancyForm(forms.Form):
    occupancy = forms.IntegerField(label=_("People in it now"), min_value=0)
    version = forms.CharField(required=False, widget=forms.HiddenInput)
