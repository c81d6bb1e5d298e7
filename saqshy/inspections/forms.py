from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.inspections.models import Briefing, Drill


class DateForm(forms.Form):
    on = forms.DateField(
        label=_("date"), initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("note"), required=False, max_length=255)


class BriefingForm(forms.ModelForm):
    class Meta:
        model = Briefing
        fields = ["held_on", "participants", "topic", "conducted_by"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}


class DrillForm(forms.ModelForm):
    class Meta:
        model = Drill
        fields = ["held_on", "people_evacuated", "evacuation_seconds", "norm_seconds", "notes"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}), "notes": forms.TextInput()}
