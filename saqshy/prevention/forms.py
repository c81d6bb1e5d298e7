from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.choices import FacilityKind
from saqshy.prevention.models import Campaign


class CampaignForm(forms.ModelForm):
    facility_kinds = forms.MultipleChoiceField(
        label=_("facility kinds"),
        choices=FacilityKind.choices(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Campaign
        fields = ["name", "region", "facility_kinds", "starts_on", "deadline", "notes"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, regions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
