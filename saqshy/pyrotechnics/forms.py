"""Forms for the pages; choices offer only what the signed-in user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.accounts.queries import regions_in_scope
from saqshy.core.forms import VersionedFormMixin
from saqshy.facilities.models import Facility
from saqshy.pyrotechnics.choices import RaidStatus, VisitResult
from saqshy.pyrotechnics.models import Outlet, Raid

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OutletForm(VersionedFormMixin, forms.ModelForm):
    """Fields a person edits by hand; the region follows from the location."""

    class Meta:
        model = Outlet
        fields = [
            "kind",
            "name",
            "operator",
            "facility",
            "address",
            "lat",
            "lon",
            "certificate_number",
            "certificate_expires",
            "active",
        ]
        widgets = {"certificate_expires": _DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facility: Any = self.fields["facility"]
        facility.queryset = Facility.objects.restrict(user, "view").order_by("name", "id")
        for name in ("lat", "lon"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Leave empty to use the linked facility's location.")


class RaidForm(VersionedFormMixin, forms.ModelForm):
    """A raid and the outlets on its route (all in the raid's region)."""

    outlets = forms.ModelMultipleChoiceField(
        label=_("Outlets to visit"),
        queryset=Outlet.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only outlets in the raid's region can be on its route."),
    )

    class Meta:
        model = Raid
        fields = ["planned_on", "region", "team", "agency", "status", "notes"]
        widgets = {"planned_on": _DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        region: Any = self.fields["region"]
        region.queryset = regions_in_scope(user, Raid, action)
        agency: Any = self.fields["agency"]
        agency.queryset = Agency.objects.order_by("name_en")
        outlets: Any = self.fields["outlets"]
        outlets.queryset = (
            Outlet.objects.restrict(user, "view")
            .filter(active=True)
            .select_related("region")
            .order_by("region__name_en", "name", "id")
        )
        outlets.label_from_instance = _outlet_label
        if self.instance.pk:
            self.initial["outlets"] = [visit.outlet_id for visit in self.instance.visits.all()]


def _outlet_label(outlet: Outlet) -> str:
    place = outlet.address or outlet.region.display_name
    return f"{outlet.name} · {place}"


class RaidStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RaidStatus.choices())


class VisitResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=VisitResult.choices())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SeizureForm(forms.Form):
    """The seizure itself; its lines are a formset of ``SeizureLineForm``."""

    outlet = forms.ModelChoiceField(label=_("Outlet"), queryset=Outlet.objects.none())
    raid = forms.ModelChoiceField(
        label=_("Raid"),
        queryset=Raid.objects.none(),
        required=False,
        help_text=_("The raid during which it was seized, if any."),
    )
    seized_on = forms.DateField(label=_("Date seized"), widget=_DATE)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outlet: Any = self.fields["outlet"]
        outlet.queryset = (
            Outlet.objects.restrict(user, "view")
            .select_related("region")
            .order_by("region__name_en", "name", "id")
        )
        outlet.label_from_instance = _outlet_label
        raid: Any = self.fields["raid"]
        raid.queryset = (
            Raid.objects.restrict(user, "view")
            .exclude(status=RaidStatus.CANCELLED)
            .select_related("region")
        )
        self.fields["seized_on"].initial = timezone.localdate()


class SeizureLineForm(forms.Form):
    product = forms.CharField(label=_("Product name"), max_length=255)
    certified = forms.BooleanField(label=_("Certified"), required=False)
    units = forms.IntegerField(label=_("Units"), min_value=0, initial=0)
    boxes = forms.IntegerField(label=_("Boxes"), min_value=0, initial=0)


SeizureLineFormSet = forms.formset_factory(SeizureLineForm, extra=4)


class TotalsFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All regions"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("Until"), required=False, widget=_DATE)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.queryset = regions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data
