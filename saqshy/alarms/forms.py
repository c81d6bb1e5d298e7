"""The household form social services fill in: who lives where, how to reach them, consent.

The address is searched in the geocoder as the worker types (``geocoding/address.js``, as on
the incident form); picking a suggestion fills the latitude and longitude. An address typed
but not picked has no location and is refused; a location without an address is named by
reverse geocoding. The region comes from the worker's scope: one region is fixed, several
give a choice limited to them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import District, Region
from saqshy.alarms.models import Household, HouseholdCategory
from saqshy.core.forms import VersionedFormMixin
from saqshy.geocoding.queries import describe_point, search_as_you_type

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COORDINATE = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "size": 10})


def _coordinate(label: Any, limit: int) -> forms.FloatField:
    """A latitude or longitude, filled by the address picker (or typed)."""
    return forms.FloatField(
        label=capfirst(label), min_value=-limit, max_value=limit, required=False, widget=COORDINATE
    )


class HouseholdForm(VersionedFormMixin, forms.ModelForm):
    """The fields a person fills; ``regions`` are those the user may write in."""

    category = forms.ModelChoiceField(
        label=capfirst(_("category")), queryset=HouseholdCategory.objects.all()
    )
    lat = _coordinate(_("latitude"), 90)
    lon = _coordinate(_("longitude"), 180)
    consent_date = forms.DateField(label=capfirst(_("consent date")), required=False, widget=DATE)

    class Meta:
        model = Household
        fields = [
            "region",
            "category",
            "address",
            "lat",
            "lon",
            "district",
            "contact_name",
            "contact_phone",
            "language",
            "consent_given",
            "consent_date",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = regions
        region.empty_label = None
        only = list(regions[:2])
        if len(only) == 1:
            region.initial = only[0].pk
            region.widget = forms.HiddenInput()
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = District.objects.filter(region__in=regions).order_by(
            "region_id", "name_en"
        )
        self.fields["consent_given"].help_text = _(
            "A household is kept only with its consent: tick this once they have agreed."
        )
        self._wire_address(only[0] if len(only) == 1 else None)

    def _wire_address(self, region: Region | None) -> None:
        # As on the incident form: the address searches the geocoder as the worker types and
        # a picked suggestion fills the latitude and longitude.
        address = self.fields["address"]
        address.required = False
        address.help_text = _(
            "Type the address and pick it from the list of suggestions, e.g. Kabanbay 53; "
            "left empty, it is filled from the latitude and longitude."
        )
        search_as_you_type(address, region=region)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._clean_place(data)
        self._clean_consent(data)
        district, region = data.get("district"), data.get("region")
        if district is not None and region is not None and district.region_id != region.pk:
            self.add_error("district", _("This district is not in the chosen region."))
        return data

    def _clean_place(self, data: dict[str, Any]) -> None:
        if "lat" in self.errors or "lon" in self.errors:
            return
        address = (data.get("address") or "").strip()
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None or lon is None:
            if address:
                self.add_error(
                    "address",
                    _(
                        "The address was typed but not picked, so its location is unknown: "
                        "pick the address from the list of suggestions."
                    ),
                )
            else:
                self.add_error(
                    "address", _("Type the address and pick it from the list of suggestions.")
                )
            return
        if not address:
            address = describe_point(lat, lon)
            if not address:
                self.add_error(
                    "address",
                    _("No address is known at this location: type it and pick it from the list."),
                )
                return
        data["address"] = address

    def _clean_consent(self, data: dict[str, Any]) -> None:
        if not data.get("consent_given"):
            self.add_error(
                "consent_given",
                _("A household can be saved only with its consent to take part."),
            )
        consent_date: dt.date | None = data.get("consent_date")
        if consent_date is None:
            if "consent_date" not in self.errors:
                self.add_error("consent_date", _("Enter the date the household gave consent."))
        elif consent_date > timezone.localdate():
            self.add_error("consent_date", _("The consent date cannot be in the future."))
