"""The campaign and parent-meeting forms (region, status and a meeting's place are never typed:
the services set them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.core.forms import VersionedFormMixin
from saqshy.outreach.choices import Topic
from saqshy.outreach.models import Campaign, ParentMeeting, material_errors

_DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})


class _ServiceFields(VersionedFormMixin, forms.ModelForm):
    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    def changed_fields(self) -> dict[str, Any]:
        names = set(self.changed_data)
        return {k: v for k, v in self.service_fields().items() if k in names}


class CampaignForm(_ServiceFields):
    starts_on = forms.DateField(label=_("starts"), widget=_DAY)
    ends_on = forms.DateField(label=_("ends"), widget=_DAY)
    materials = forms.CharField(
        label=_("materials (links)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://"}),
        help_text=_("One link per line: the video, the poster, the leaflet."),
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "title_kk",
            "title_ru",
            "topic",
            "channel",
            "audience",
            "region",
            "districts",
            "starts_on",
            "ends_on",
            "planned_reach",
            "reached",
            "owner",
            "materials",
            "notes",
        ]
        widgets = {
            "planned_reach": _NUMBER,
            "reached": _NUMBER,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "districts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, regions: Any, districts: Any, agencies: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["region"].queryset = regions
        fields["districts"].queryset = districts
        fields["districts"].required = False
        if len({district.region_id for district in districts}) > 1:
            fields["districts"].label_from_instance = lambda d: f"{d} ({d.region})"
        fields["owner"].queryset = agencies
        if self.instance.pk:
            self.initial["materials"] = "\n".join(self.instance.materials or [])

    def clean_materials(self) -> list[str]:
        text = self.cleaned_data.get("materials") or ""
        links = [line.strip() for line in text.splitlines() if line.strip()]
        problems = material_errors(links)
        if problems:
            raise forms.ValidationError(problems)
        return links

    def has_changed_materials(self) -> bool:
        return self.cleaned_data.get("materials") != list(self.instance.materials or [])

    def changed_fields(self) -> dict[str, Any]:
        data = super().changed_fields()
        if self.has_changed_materials():
            data["materials"] = self.cleaned_data["materials"]
        else:
            data.pop("materials", None)
        return data


class ReachForm(VersionedFormMixin, forms.Form):
    reached = forms.IntegerField(label=_("reached (people)"), min_value=0, widget=_NUMBER)


class MeetingForm(_ServiceFields):
    held_on = forms.DateField(label=_("date"), widget=_DAY)
    topics = forms.MultipleChoiceField(
        label=_("topics"), choices=Topic.choices(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ParentMeeting
        fields = [
            "school",
            "held_on",
            "grade",
            "attendees",
            "topics",
            "held_by_agency",
            "held_by",
            "notes",
        ]
        widgets = {"attendees": _NUMBER, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, schools: Any, agencies: Any, label: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["school"].queryset = schools
        fields["school"].label_from_instance = label
        fields["held_by_agency"].queryset = agencies

    def _get_validation_exclusions(self) -> set[str]:
        # The region follows the school in the service.
        return {*super()._get_validation_exclusions(), "region"}  # type: ignore[misc]
