from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.core.forms import VersionedFormMixin
from saqshy.facilities.models import Facility
from saqshy.gatherings.models import Gathering


class GatheringForm(VersionedFormMixin, forms.ModelForm):
    """What an organiser or planner fills in; region and status are not typed by hand."""

    starts_at = forms.DateTimeField(
        label=_("starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    lat = forms.FloatField(label=_("latitude"), required=False)
    lon = forms.FloatField(label=_("longitude"), required=False)

    class Meta:
        model = Gathering
        fields = [
            "name",
            "kind",
            "venue",
            "lat",
            "lon",
            "starts_at",
            "ends_at",
            "expected_attendance",
            "children_involved",
            "children_count",
            "organiser",
            "organiser_contact",
            "organiser_ref",
            "fire_standby_planned",
            "medical_presence_planned",
            "access_route_clear",
            "access_route_checked_on",
        ]
        widgets = {"access_route_checked_on": forms.DateInput(attrs={"type": "date"})}

    def _get_validation_exclusions(self) -> set[str]:
        # The location follows the venue in the service; it is not required here.
        return {*super()._get_validation_exclusions(), "lat", "lon"}  # type: ignore[misc]

    def __init__(self, *args: object, venues: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        venue_field: Any = self.fields["venue"]
        venue_field.queryset = venues if venues is not None else Facility.objects.none()
        self.fields["venue"].required = False
        self.fields["venue"].help_text = _(
            "Leave empty for an outdoor event and give its location."
        )
