"""The segment page's forms: close or restrict, edit the name and number, plan a route."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.roads.choices import (
    CLOSURE_REASONS,
    RESTRICTIONS,
    VEHICLE_CLASSES,
    SegmentStatus,
    VehicleClass,
)

_WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (SegmentStatus.CLOSED, _("Close the road")),
            (SegmentStatus.RESTRICTED, _("Restrict traffic")),
        ],
        widget=forms.RadioSelect,
        initial=SegmentStatus.CLOSED,
    )
    reason = forms.ChoiceField(label=_("reason"), choices=CLOSURE_REASONS)
    restriction = forms.ChoiceField(
        label=_("restriction"),
        choices=[("", "—"), *RESTRICTIONS],
        required=False,
        help_text=_("Only for a restriction: what it forbids."),
    )
    expected_reopening_at = forms.DateTimeField(
        label=_("expected reopening"), required=False, widget=_WHEN, input_formats=_WHEN_FORMATS
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def clean_note(self) -> str:
        return str(self.cleaned_data.get("note") or "").replace("\x00", "")


class SegmentForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    number = forms.CharField(label=_("road number"), max_length=20, required=False)
    name = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    name_kk = forms.CharField(label=_("name (Kazakh)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("name (Russian)"), max_length=200, required=False)

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class RouteForm(forms.Form):
    """From and to are place names at the segment ends (``routing.places``)."""

    origin = forms.ChoiceField(label=_("from"), choices=())
    destination = forms.ChoiceField(label=_("to"), choices=())
    vehicle = forms.ChoiceField(
        label=_("vehicle"), choices=VEHICLE_CLASSES, initial=VehicleClass.CAR
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("origin", "destination"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "—"), *places]
