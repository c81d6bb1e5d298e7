from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from saqshy.actionplan.choices import MeasureStatus
from saqshy.actionplan.models import Measure
from saqshy.core.forms import VersionedFormMixin


class MeasureForm(VersionedFormMixin, forms.ModelForm):
    """What the secretariat changes on a measure; its number stays as the plan gave it."""

    indicator_code = forms.ChoiceField(label=capfirst(_("indicator")), required=False)

    class Meta:
        model = Measure
        fields = [
            "title_kk",
            "title_ru",
            "title_en",
            "brief_line",
            "owner",
            "co_executors",
            "starts_on",
            "deadline",
            "indicator_code",
            "national_target",
            "status",
            "evidence_link",
            "notes",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "brief_line": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "co_executors": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args: Any, agencies: Any, indicators: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.queryset = agencies
        co: Any = self.fields["co_executors"]
        co.queryset = agencies
        co.required = False
        choices = [("", _("none: status and evidence only")), *indicators]
        current = self.instance.indicator_code if self.instance else ""
        if current and current not in dict(indicators):
            choices.append((current, _("indicator not available")))
        indicator: Any = self.fields["indicator_code"]
        indicator.choices = choices
        status: Any = self.fields["status"]
        status.choices = MeasureStatus.choices()


class TargetsForm(forms.Form):
    """One optional target per region (empty: the region has no target of its own)."""

    prefix = "targets"

    def __init__(
        self, *args: Any, regions: list[Any], current: dict[int, float], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {f"region_{region.pk}": region for region in regions}
        for name, region in self.regions.items():
            self.fields[name] = forms.FloatField(
                label=str(region), required=False, min_value=0, initial=current.get(region.pk)
            )

    def targets(self) -> dict[Any, float | None]:
        """The regions whose target the form changed, with their new value."""
        return {self.regions[name]: self.cleaned_data[name] for name in self.changed_data}


class EvidenceForm(VersionedFormMixin, forms.Form):
    evidence_file = forms.FileField(
        label=capfirst(_("evidence file")),
        required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG, at most 10 MB."),
    )
    evidence_link = forms.CharField(
        label=capfirst(_("evidence link")),
        required=False,
        max_length=500,
        help_text=_('A web address, or a path to the records in Saqshy starting with "/".'),
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from saqshy.core import versioning

        self.fields["version"].initial = versioning.version_of(measure)
        self.fields["evidence_link"].initial = measure.evidence_link


class PlanFilterForm(forms.Form):
    owner = forms.IntegerField(required=False)
    status = forms.CharField(required=False)
    region = forms.IntegerField(required=False)
    overdue = forms.BooleanField(required=False)
