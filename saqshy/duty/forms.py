from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, District, Region
from saqshy.core.forms import VersionedFormMixin
from saqshy.duty.choices import AbsenceKind, PlanKind, ReadinessLevel
from saqshy.duty.models import Person


def _when(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class PersonForm(VersionedFormMixin, forms.ModelForm):
    skills = forms.CharField(
        label=_("skills"),
        required=False,
        help_text=_("Short codes separated by ';', e.g. driver; traffic; escort"),
    )

    class Meta:
        model = Person
        fields = [
            "agency",
            "district",
            "personnel_number",
            "first_name",
            "last_name",
            "position",
            "skills",
            "weekly_hours",
            "phone",
            "active",
        ]

    def __init__(self, *args: Any, agencies: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field: Any = self.fields["agency"]
        agency_field.queryset = agencies
        district_field: Any = self.fields["district"]
        district_field.queryset = districts
        if self.instance.pk:
            self.initial["skills"] = "; ".join(self.instance.skills)


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AbsenceKind.choices())
    starts_at = _when(_("from"))
    ends_at = _when(_("until"))
    note = forms.CharField(label=_("note"), required=False, max_length=255)


class ReadinessForm(forms.Form):
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("region"), queryset=Region.objects.none()
    )
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All agencies"),
    )
    level = forms.ChoiceField(label=_("level"), choices=ReadinessLevel.choices())
    starts_at = _when(_("from"))
    ends_at = _when(_("until"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=255)

    def __init__(self, *args: Any, regions: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        agency_field: Any = self.fields["agency"]
        agency_field.queryset = agencies


class PersonnelImportForm(forms.Form):
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("region"), queryset=Region.objects.none()
    )
    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions


class PlanRunForm(forms.Form):
    """Request a roster (or staffing) run for a region, one district or all."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (PlanKind.ROSTER, PlanKind.label(PlanKind.ROSTER)),
            (PlanKind.STAFFING, PlanKind.label(PlanKind.STAFFING)),
            (PlanKind.REPLAN, _("Re-plan after changes (keeps what began before “From”)")),
        ],
    )
    starts_at = _when(_("From"))
    ends_at = _when(_("Until"))
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("All districts"),
    )
    time_limit_s = forms.FloatField(
        label=_("Solver time limit per district, s"), min_value=0.5, max_value=300, initial=10
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        district_field = self.fields["district"]
        assert isinstance(region_field, forms.ModelChoiceField)
        assert isinstance(district_field, forms.ModelChoiceField)
        region_field.queryset = regions
        district_field.queryset = District.objects.filter(region__in=regions).order_by("name_en")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        district, region = data.get("district"), data.get("region")
        if district is not None and region is not None and district.region_id != region.pk:
            self.add_error("district", _("This district lies in another region."))
        return data


class SickForm(forms.Form):
    """Report a person sick from a moment: records the sickness and re-plans."""

    sick_from = _when(_("Sick from"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class PatrolPlanForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    starts_at = _when(_("From"))
    ends_at = _when(_("Until"))
    slot_minutes = forms.IntegerField(
        label=_("Slot length, minutes"), min_value=15, max_value=240, initial=60
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions
