from __future__ import annotations

from django import forms

from saqshy.core.forms import VersionedFormMixin
from saqshy.facilities.models import Facility


class FacilityForm(VersionedFormMixin, forms.ModelForm):
    """Fields a person edits by hand; the region follows from the location."""

    class Meta:
        model = Facility
        fields = [
            "kind",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "address",
            "lat",
            "lon",
            "capacity",
            "operator",
            "contact_phone",
            "website",
            "has_fire_alarm",
            "has_sprinklers",
            "exits",
            "storeys",
        ]
        widgets = {
            "has_fire_alarm": forms.NullBooleanSelect(),
            "has_sprinklers": forms.NullBooleanSelect(),
        }
