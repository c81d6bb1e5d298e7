"""The camera form: place, venue, owner, stream, and the watched area and calibration picked on
a map (``cameras/camera-form.js``) instead of typed as JSON.

The watched area travels in a hidden field as GeoJSON, filled by clicking its corners on the
map. The calibration is four rows of an image point (pixels, read off a frame of the stream)
and the ground point it shows (clicked on the map, or typed); all four rows or none.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency
from saqshy.accounts.queries import regions_in_scope
from saqshy.cameras.models import Camera
from saqshy.core.forms import VersionedFormMixin
from saqshy.facilities.choices import FacilityKind
from saqshy.facilities.models import Facility
from saqshy.geocoding.queries import search_as_you_type

POINTS = (1, 2, 3, 4)
# Facilities where crowds gather: offered as a camera's venue (with any that hosts an event).
CROWDED_KINDS = (
    FacilityKind.STADIUM,
    FacilityKind.SPORTS_CENTRE,
    FacilityKind.MALL,
    FacilityKind.THEATRE_CINEMA,
    FacilityKind.MARKET,
    FacilityKind.STATION,
    FacilityKind.RELIGIOUS_SITE,
    FacilityKind.OTHER,
)
NUMBER = {"step": "any", "inputmode": "decimal"}


def _coordinate(label: Any, limit: float) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=-limit,
        max_value=limit,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )


def _pixel(label: Any) -> forms.FloatField:
    return forms.FloatField(
        label=label, min_value=0, required=False, widget=forms.NumberInput(attrs=NUMBER)
    )


class CameraForm(VersionedFormMixin, forms.ModelForm):
    """Fields a coordinator fills in; the region follows from the location."""

    lat = forms.FloatField(
        label=capfirst(_("latitude")),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    lon = forms.FloatField(
        label=capfirst(_("longitude")),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    watched_area = forms.CharField(required=False, widget=forms.HiddenInput)
    calibration = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Camera
        fields = [
            "name",
            "facility",
            "owner",
            "address",
            "lat",
            "lon",
            "bearing",
            "stream_url",
            "snapshots_allowed",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = regions_in_scope(user, Camera, "change" if self.instance.pk else "add")
        venue: Any = self.fields["facility"]
        venue.queryset = (
            Facility.objects.filter(region__in=regions)
            .filter(
                Q(kind__in=CROWDED_KINDS, name__gt="")
                | Q(gatherings__isnull=False)
                | Q(pk=self.instance.facility_id)
            )
            .distinct()
            .order_by("name", "id")
        )
        owner: Any = self.fields["owner"]
        owner.queryset = Agency.objects.filter(Q(region__in=regions) | Q(region=None)).order_by(
            "name_en", "id"
        )
        address = self.fields["address"]
        address.help_text = _(
            "Type an address and pick a suggestion, or click the map: the camera's place."
        )
        search_as_you_type(address)
        for n in POINTS:
            self.fields[f"image_x_{n}"] = _pixel(_("Image x, px"))
            self.fields[f"image_y_{n}"] = _pixel(_("Image y, px"))
            self.fields[f"ground_lon_{n}"] = _coordinate(capfirst(_("longitude")), 180)
            self.fields[f"ground_lat_{n}"] = _coordinate(capfirst(_("latitude")), 90)
        if not self.is_bound and self.instance.pk:
            self._show_stored(self.instance)

    def _show_stored(self, camera: Camera) -> None:
        if camera.watched_area:
            self.initial["watched_area"] = json.dumps(camera.watched_area)
        cal = camera.calibration
        if isinstance(cal, dict):
            try:
                for n, ((x, y), (lon, lat)) in enumerate(
                    zip(cal["image"], cal["ground"], strict=True), start=1
                ):
                    self.initial.update(
                        {
                            f"image_x_{n}": x,
                            f"image_y_{n}": y,
                            f"ground_lon_{n}": lon,
                            f"ground_lat_{n}": lat,
                        }
                    )
            except (KeyError, TypeError, ValueError):
                pass

    def main_fields(self) -> list[forms.BoundField]:
        """The record's own fields, in order (the map and the calibration table come after)."""
        return [self[name] for name in self._meta.fields or ()]

    def calibration_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        """The four rows of the calibration table: image x, y and ground longitude, latitude."""
        return [
            (
                n,
                [
                    self[f"{part}_{n}"]
                    for part in ("image_x", "image_y", "ground_lon", "ground_lat")
                ],
            )
            for n in POINTS
        ]

    def clean_watched_area(self) -> Any:
        text = (self.cleaned_data.get("watched_area") or "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Draw the watched area as one closed polygon.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values = {
            n: [
                data.pop(f"{part}_{n}", None)
                for part in ("image_x", "image_y", "ground_lon", "ground_lat")
            ]
            for n in POINTS
        }
        given = [v for row in values.values() for v in row if v is not None]
        data["calibration"] = None
        if given and len(given) < 4 * len(POINTS):
            self.add_error(
                "calibration",
                _("Fill in all four calibration points (image x, y and ground point), or none."),
            )
        elif given:
            data["calibration"] = {
                "image": [[row[0], row[1]] for row in values.values()],
                "ground": [[row[2], row[3]] for row in values.values()],
            }
        return data
