from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.core.forms import VersionedFormMixin


class NarrativeForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["text"].initial = instance.text


class OpenReportForm(forms.Form):
    region: Any = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    day = forms.DateField(label=_("Day"), input_formats=["%d.%m.%Y", "%Y-%m-%d"])
    # An exercise's report of the day, beside the real one (docs/exercise.md).
    is_exercise = forms.BooleanField(label=_("exercise"), required=False)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["region"]
        field.queryset = regions
