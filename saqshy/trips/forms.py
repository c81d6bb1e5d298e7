"""The trip form an organiser fills in on a phone, and the escort form a planner uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saqshy.core.forms import VersionedFormMixin
from saqshy.facilities.models import Facility
from saqshy.trips.choices import VehicleKind
from saqshy.trips.models import Trip, driver_errors, vehicle_errors

_WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_COORD = {"inputmode": "decimal", "step": "any"}


def _lines(text: str) -> list[list[str]]:
    return [
        [part.strip() for part in line.split(";")] for line in text.splitlines() if line.strip()
    ]


def vehicles_from_text(text: str) -> list[dict[str, Any]]:
    """``plate; kind; seats`` per line into vehicle rows (checked by ``vehicle_errors``)."""
    kinds = {str(label).lower(): value for value, label in VehicleKind.choices()}
    rows: list[dict[str, Any]] = []
    for parts in _lines(text):
        plate, kind, seats = ([*parts, "", "", ""])[:3]
        kind = kinds.get(kind.lower(), kind.lower())
        rows.append(
            {"plate": plate, "kind": kind, "seats": int(seats) if seats.isdigit() else seats}
        )
    return rows


def drivers_from_text(text: str) -> list[dict[str, Any]]:
    """``name; licence`` per line into driver rows (checked by ``driver_errors``)."""
    return [
        {"name": name, "licence": licence}
        for name, licence in (([*parts, "", ""])[:2] for parts in _lines(text))
    ]


def vehicles_as_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{r.get('plate', '')}; {r.get('kind', '')}; {r.get('seats', '')}" for r in rows
    )


def drivers_as_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{r.get('name', '')}; {r.get('licence', '')}" for r in rows)


class TripForm(VersionedFormMixin, forms.ModelForm):
    """Region, status and escort are not typed by hand: the services set them."""

    departs_at = forms.DateTimeField(label=_("departure"), widget=_WHEN)
    returns_at = forms.DateTimeField(label=_("return"), widget=_WHEN)
    vehicles_text = forms.CharField(
        label=_("vehicles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "123ABC02; bus; 45"}),
        help_text=_("One per line: number plate; kind (bus, minibus, car, other); seats."),
    )
    drivers_text = forms.CharField(
        label=_("drivers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Aibek Sadykov; KZ1234567"}),
        help_text=_("One per line: full name; driving licence number."),
    )

    class Meta:
        model = Trip
        fields = [
            "organiser",
            "organiser_facility",
            "organiser_ref",
            "children_count",
            "adults_count",
            "departs_at",
            "returns_at",
            "departure_name",
            "departure_lat",
            "departure_lon",
            "destination_name",
            "destination_lat",
            "destination_lon",
            "route_text",
            "contact_name",
            "contact_phone",
        ]
        widgets = {
            "route_text": forms.Textarea(attrs={"rows": 2}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "children_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "adults_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "departure_lat": forms.NumberInput(attrs=_COORD),
            "departure_lon": forms.NumberInput(attrs=_COORD),
            "destination_lat": forms.NumberInput(attrs=_COORD),
            "destination_lon": forms.NumberInput(attrs=_COORD),
        }

    def __init__(self, *args: Any, facilities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organiser_facility"]
        field.queryset = facilities if facilities is not None else Facility.objects.none()
        field.required = False
        self.fields["organiser"].required = False
        self.fields["organiser"].help_text = _(
            "Leave empty to use the name of the school or kindergarten."
        )
        if self.instance.pk:
            self.initial["vehicles_text"] = vehicles_as_text(self.instance.vehicles or [])
            self.initial["drivers_text"] = drivers_as_text(self.instance.drivers or [])

    def _get_validation_exclusions(self) -> set[str]:
        # The region follows the departure place in the service.
        return {*super()._get_validation_exclusions(), "region"}  # type: ignore[misc]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organiser") and not data.get("organiser_facility"):
            self.add_error(
                "organiser", gettext("Name the organiser or choose the school or kindergarten.")
            )
        vehicles = vehicles_from_text(data.get("vehicles_text", ""))
        drivers = drivers_from_text(data.get("drivers_text", ""))
        for problem in vehicle_errors(vehicles):
            self.add_error("vehicles_text", problem)
        for problem in driver_errors(drivers):
            self.add_error("drivers_text", problem)
        data["vehicles"], data["drivers"] = vehicles, drivers
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values under the names the services take."""
        data = dict(self.cleaned_data)
        data.pop("vehicles_text", None)
        data.pop("drivers_text", None)
        data.pop("version", None)
        return data

    def changed_fields(self) -> dict[str, Any]:
        data = self.service_fields()
        names = set(self.changed_data)
        if "vehicles_text" in names:
            names.add("vehicles")
        if "drivers_text" in names:
            names.add("drivers")
        return {k: v for k, v in data.items() if k in names}


class EscortForm(forms.Form):
    """Choose an officer from the roster or a unit; optionally the escort's own account."""

    # Picked in the search box (``escort.js``); over a thousand officers make a select useless.
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("police officer"), widget=forms.HiddenInput
    )
    person_query = forms.CharField(
        required=False,
        max_length=100,
        label=_("police officer"),
        help_text=_(
            "Type a name or a personnel number; officers free for the whole trip come first."
        ),
    )
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("police unit")
    )
    user = forms.CharField(
        required=False,
        label=_("escort's account (login)"),
        help_text=_("This account may report departure, arrival and return."),
    )

    def __init__(self, *args: Any, persons: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field: Any = self.fields["person"]
        unit_field: Any = self.fields["unit"]
        person_field.queryset = persons
        unit_field.queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = (data.get("person_query") or "").strip()
        if not data.get("person") and typed:
            # Without the script the box still works: an exact personnel number picks the officer.
            person_field: Any = self.fields["person"]
            found = list(person_field.queryset.filter(personnel_number=typed)[:2])
            if len(found) != 1:
                raise forms.ValidationError(
                    gettext("Choose an officer from the list, or type their personnel number.")
                )
            data["person"] = found[0]
        if bool(data.get("person")) == bool(data.get("unit")):
            raise forms.ValidationError(gettext("Choose either a police officer or a police unit."))
        return data
