from __future__ import annotations

import math
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape

from saqshy.accounts.boundaries import MAX_BOUNDARY_BYTES, geometry_fields, parse_boundary
from saqshy.accounts.models import Agency, District, Grant, Norm, Region, Role, User
from saqshy.core.admin_audit import AuditedModelAdmin, ReadAuditedModelAdmin

PREVIEW_SIZE = 240


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 0
    autocomplete_fields = ["agency", "region", "role"]


@admin.register(User)
class UserAdmin(ReadAuditedModelAdmin, DjangoUserAdmin):
    inlines = [GrantInline]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Saqshy", {"fields": ("language",)}))  # type: ignore[misc]


class BoundaryForm(forms.ModelForm):
    """A boundary uploaded as a GeoJSON file or pasted as text, checked before saving."""

    boundary_file = forms.FileField(
        label=_("boundary file (GeoJSON)"),
        required=False,
        help_text=_("A Polygon or MultiPolygon in longitude/latitude, a Feature, or a collection."),
    )
    boundary_text = forms.CharField(
        label=_("or paste the boundary (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, text = cleaned.get("boundary_file"), cleaned.get("boundary_text")
        if upload and text:
            raise ValidationError(_("Upload a file or paste the boundary, not both."))
        field = "boundary_file" if upload else "boundary_text"
        try:
            if upload:
                if upload.size > MAX_BOUNDARY_BYTES:
                    raise ValidationError(_("The file is too large for one boundary."))
                cleaned["parsed_boundary"] = parse_boundary(upload.read())
            elif text:
                cleaned["parsed_boundary"] = parse_boundary(text)
        except ValidationError as error:
            self.add_error(field, error)
        return cleaned


def boundary_preview(boundary: dict[str, Any] | None) -> SafeString | str:
    """The boundary drawn as a small SVG outline, with its type and extent."""
    if not boundary:
        return str(_("No boundary: facilities cannot be imported into this region yet."))
    geom = shape(boundary)
    minx, miny, maxx, maxy = geom.bounds
    squeeze = math.cos(math.radians((miny + maxy) / 2))
    span = max((maxx - minx) * squeeze, maxy - miny) or 1.0
    outline = mapping(geom.simplify(span / PREVIEW_SIZE))
    polygons = outline["coordinates"]
    if outline["type"] == "Polygon":
        polygons = [polygons]
    scale = (PREVIEW_SIZE - 8) / span
    path = " ".join(
        "M"
        + " L".join(
            f"{4 + (x - minx) * squeeze * scale:.1f},{4 + (maxy - y) * scale:.1f}" for x, y in ring
        )
        + " Z"
        for polygon in polygons
        for ring in polygon
    )
    return format_html(
        '<svg width="{}" height="{}" role="img" aria-label="{}"><path d="{}" fill="#c6dbef" '
        'stroke="#08519c" fill-rule="evenodd"/></svg><br>{} · {:.4f}, {:.4f} – {:.4f}, {:.4f}',
        PREVIEW_SIZE,
        PREVIEW_SIZE,
        _("boundary"),
        path,
        boundary["type"],
        minx,
        miny,
        maxx,
        maxy,
    )


class BoundaryAdmin(AuditedModelAdmin):
    form = BoundaryForm
    exclude = ["boundary"]

    @admin.display(description=_("boundary"))
    def boundary_shown(self, obj: Region | District) -> SafeString | str:
        return boundary_preview(obj.boundary if obj else None)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        parsed = form.cleaned_data.get("parsed_boundary")
        if parsed is not None:
            fields = geometry_fields(parsed)
            for name, value in fields.items():
                if hasattr(obj, name):
                    setattr(obj, name, value)
        super().save_model(request, obj, form, change)


@admin.register(Region)
class RegionAdmin(BoundaryAdmin):
    list_display = ["iso_code", "slug", "name_en", "name_ru", "name_kk", "kind", "has_boundary"]
    search_fields = ["iso_code", "slug", "name_en", "name_ru", "name_kk"]
    readonly_fields = ["boundary_shown", "centre_lat", "centre_lon", "bbox"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        # Whether each listed region has an outline, without reading the outlines.
        outlined = ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
        return super().get_queryset(request).annotate(outlined=outlined)

    @admin.display(description=_("boundary"), boolean=True)
    def has_boundary(self, obj: Region) -> bool:
        outlined = getattr(obj, "outlined", None)
        return bool(obj.boundary) if outlined is None else bool(outlined)


@admin.register(District)
class DistrictAdmin(BoundaryAdmin):
    list_display = ["name_en", "region"]
    list_filter = ["region"]
    search_fields = ["name_en", "name_ru", "name_kk"]
    readonly_fields = ["boundary_shown"]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ["slug", "name_en", "all_agencies"]
    search_fields = ["slug", "name_en"]
    filter_horizontal = ["permissions"]


@admin.register(Norm)
class NormAdmin(AuditedModelAdmin):
    list_display = ["code", "region", "value", "unit", "source"]
    list_filter = ["code", "region"]
