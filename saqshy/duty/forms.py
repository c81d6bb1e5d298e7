from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.duty.choices import AbsenceKind, ReadinessLevel
from saqshy.duty.models import Person


def _when(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class PersonForm(forms.ModelForm):
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
