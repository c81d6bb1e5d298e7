from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from saqshy.core.forms import VersionedFormMixin
from saqshy.equipment.models import EquipmentCheck, FacilityEquipment, Hydrant, HydrantCheck

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _verdict(yes: Any, no: Any) -> forms.TypedChoiceField:
    """A required yes/no choice: on a phone a forgotten checkbox must not mean "no"."""
    return forms.TypedChoiceField(
        choices=[("true", yes), ("false", no)],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )


class HydrantForm(VersionedFormMixin, forms.ModelForm):
    """Fields a person edits by hand; the region follows from the location and the state
    (operable, last checked) from the checks."""

    class Meta:
        model = Hydrant
        fields = ["code", "kind", "lat", "lon", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class HydrantCheckForm(forms.ModelForm):
    operable = _verdict(_("Operable"), _("Not operable"))

    class Meta:
        model = HydrantCheck
        fields = ["checked_on", "operable", "pressure_ok", "access_clear", "note"]
        widgets = {
            "checked_on": DATE,
            "pressure_ok": forms.NullBooleanSelect(),
            "access_clear": forms.NullBooleanSelect(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operable"].label = _("Result")


class EquipmentForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FacilityEquipment
        fields = ["kind", "quantity", "model_name", "next_check_due", "notes"]
        widgets = {"next_check_due": DATE, "notes": forms.TextInput()}


class EquipmentCheckForm(forms.ModelForm):
    in_order = _verdict(_("In working order"), _("Faulty"))
    next_check_due = forms.DateField(
        label=capfirst(FacilityEquipment._meta.get_field("next_check_due").verbose_name),
        required=False,
        widget=DATE,
        help_text=_("Leave empty to keep the date already planned."),
    )

    class Meta:
        model = EquipmentCheck
        fields = ["checked_on", "in_order", "note"]
        widgets = {"checked_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["in_order"].label = _("Result")
