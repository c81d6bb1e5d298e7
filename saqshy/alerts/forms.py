"""The authoring form: what is common to every language (severity, urgency, certainty,
times), the text in Kazakh, Russian and English, and one area picked from a region, a
district, a road segment or drawn on the map."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import District, Region
from saqshy.alerts.choices import AreaKind, CapStatus, Category, Certainty, Severity, Urgency
from saqshy.roads.models import Segment

LANGUAGE_TABS = (
    ("kk", "kk-KZ", _("Kazakh")),
    ("ru", "ru-KZ", _("Russian")),
    ("en", "en-US", _("English")),
)
TEXT_FIELDS = ("event", "headline", "description", "instruction")
DATETIME_FORMATS = ["%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class AlertForm(forms.Form):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Region"))
    status = forms.ChoiceField(
        choices=CapStatus.choices(), initial=CapStatus.ACTUAL, label=_("Status")
    )
    category = forms.ChoiceField(
        choices=Category.choices(), initial=Category.MET, label=_("Category")
    )
    severity = forms.ChoiceField(choices=Severity.choices(), label=_("Severity"))
    urgency = forms.ChoiceField(choices=Urgency.choices(), label=_("Urgency"))
    certainty = forms.ChoiceField(choices=Certainty.choices(), label=_("Certainty"))
    onset = forms.DateTimeField(
        label=_("Onset"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    expires = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    web = forms.URLField(label=_("Web page"), required=False, max_length=500, assume_scheme="https")
    contact = forms.CharField(label=_("Contact"), required=False, max_length=255)
    area_kind = forms.ChoiceField(
        label=_("Area"),
        choices=[c for c in AreaKind.choices() if c[0] != AreaKind.RECEIVED],
        initial=AreaKind.SEGMENT,
        widget=forms.RadioSelect,
    )
    area_district = forms.ModelChoiceField(
        queryset=District.objects.none(), required=False, label=_("District")
    )
    area_segment = forms.ModelChoiceField(
        queryset=Segment.objects.none(), required=False, label=_("Road segment")
    )
    area_polygon = forms.CharField(required=False, widget=forms.HiddenInput)
    area_desc = forms.CharField(label=_("Name of the drawn area"), required=False, max_length=500)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        district_field: Any = self.fields["area_district"]
        district_field.queryset = District.objects.filter(region__in=regions).select_related(
            "region"
        )
        segment_field: Any = self.fields["area_segment"]
        segment_field.queryset = Segment.objects.filter(region__in=regions).order_by(
            "name", "from_place", "code"
        )
        for prefix, _code, _label in LANGUAGE_TABS:
            self.fields[f"event_{prefix}"] = forms.CharField(
                label=_("Event"), required=False, max_length=255
            )
            self.fields[f"headline_{prefix}"] = forms.CharField(
                label=_("Headline"), required=False, max_length=255
            )
            self.fields[f"description_{prefix}"] = forms.CharField(
                label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
            self.fields[f"instruction_{prefix}"] = forms.CharField(
                label=_("What people should do"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def language_tabs(self) -> list[dict[str, Any]]:
        return [
            {
                "prefix": prefix,
                "label": label,
                "fields": [self[f"{name}_{prefix}"] for name in TEXT_FIELDS],
            }
            for prefix, _code, label in LANGUAGE_TABS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        written = 0
        for prefix, _code, _label in LANGUAGE_TABS:
            texts = [data.get(f"{name}_{prefix}") for name in TEXT_FIELDS]
            if not any(texts):
                continue
            written += 1
            for name in ("event", "headline"):
                if not data.get(f"{name}_{prefix}"):
                    self.add_error(f"{name}_{prefix}", _("This field is required."))
        if not written:
            self.add_error("headline_kk", _("Write the alert in at least one language."))
        if data.get("onset") and data.get("expires") and data["expires"] <= data["onset"]:
            self.add_error("expires", _("The alert must expire after its onset."))
        polygon = data.get("area_polygon") or ""
        data["polygon_points"] = None
        if data.get("area_kind") == AreaKind.DRAWN:
            try:
                data["polygon_points"] = json.loads(polygon) if polygon else []
            except ValueError:
                self.add_error("area_polygon", _("Draw a closed area of at least three points."))
        return data

    def infos(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        common = {
            key: data.get(key)
            for key in ("category", "severity", "urgency", "certainty", "onset", "expires")
        }
        common["web"] = data.get("web") or ""
        common["contact"] = data.get("contact") or ""
        return [
            {
                **common,
                "language": code,
                **{name: data.get(f"{name}_{prefix}") or "" for name in TEXT_FIELDS},
            }
            for prefix, code, _label in LANGUAGE_TABS
            if data.get(f"event_{prefix}") or data.get(f"headline_{prefix}")
        ]

    def area_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["area_kind"],
            "region": data.get("region"),
            "district": data.get("area_district"),
            "segment": data.get("area_segment"),
            "polygon": data.get("polygon_points"),
            "area_desc": data.get("area_desc") or "",
        }

    @classmethod
    def initial_from(cls, alert: Any) -> dict[str, Any]:
        """The form filled from an alert (to write its update)."""
        infos = list(alert.infos.order_by("id"))
        initial: dict[str, Any] = {"region": alert.region_id, "status": alert.status}
        if infos:
            first = infos[0]
            for key in (
                "category",
                "severity",
                "urgency",
                "certainty",
                "onset",
                "expires",
                "web",
                "contact",
            ):
                initial[key] = getattr(first, key)
        for info in infos:
            prefix = info.language[:2]
            for name in TEXT_FIELDS:
                initial[f"{name}_{prefix}"] = getattr(info, name)
        area = alert.areas.order_by("id").first()
        if area is not None:
            initial["area_kind"] = area.kind
            initial["area_district"] = area.district_id
            initial["area_segment"] = area.segment_id
            if area.kind == AreaKind.DRAWN and area.polygons:
                initial["area_polygon"] = json.dumps(area.polygons[0])
                initial["area_desc"] = area.area_desc
        return initial
