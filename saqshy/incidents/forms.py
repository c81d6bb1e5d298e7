"""The intake form of the duty desk: what the operator types while the caller talks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.geocoding.queries import search_as_you_type
from saqshy.incidents.choices import Priority
from saqshy.incidents.models import Incident, IncidentType


class IncidentForm(forms.ModelForm):
    """Type, priority, source, place and the caller's words; region and status follow."""

    type = forms.ModelChoiceField(
        label=_("type"), queryset=IncidentType.objects.all(), empty_label=None
    )
    priority = forms.TypedChoiceField(
        label=_("priority"),
        choices=[("", _("The type's default")), *Priority.integer_choices()],
        coerce=int,
        empty_value=None,
        required=False,
    )
    lat = forms.FloatField(
        label=_("latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    is_exercise = forms.BooleanField(
        label=_("exercise"),
        required=False,
        help_text=_(
            "An exercise call: shown with a badge, never counted in indicators nor published."
        ),
    )

    class Meta:
        model = Incident
        fields = ["type", "priority", "source", "address", "lat", "lon", "description", "reporter"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The address field searches the geocoder as the operator types (geocoding/address.js)
        # and a picked suggestion fills the latitude and longitude.
        address = self.fields["address"]
        address.help_text = _(
            "Type an address, street or place and pick a suggestion, e.g. Kabanbay 53; left "
            "empty, it is filled from the map point."
        )
        search_as_you_type(address)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("priority") is None:
            data.pop("priority", None)
        return data


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
