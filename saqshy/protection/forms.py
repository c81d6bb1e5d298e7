"""Forms of the protective-security pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.facilities.models import Facility
from saqshy.protection.choices import SEVERITIES, TIERS, Severity


class AssessmentForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Venue"), queryset=Facility.objects.none())
    assessed_on = forms.DateField(label=_("Assessed on"), initial=timezone.localdate)
    tier = forms.ChoiceField(
        label=_("Tier"),
        choices=[("", _("By the venue's capacity")), *TIERS],
        required=False,
    )
    outdoor = forms.BooleanField(label=_("Events in the open"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["facility"]
        field.queryset = facilities


class FindingForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=SEVERITIES, initial=Severity.MAJOR)
    text = forms.CharField(label=_("Finding"), max_length=2000)
    deadline = forms.DateField(label=_("Deadline"))


class FixForm(forms.Form):
    fixed_on = forms.DateField(label=_("Fixed on"), initial=timezone.localdate)
    note = forms.CharField(label=_("How it was fixed"), max_length=500, required=False)
