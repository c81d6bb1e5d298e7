from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.facilities import osm_import, services
from saqshy.facilities.models import Facility, OsmImport


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    """Superusers only; writes go through the services like every other path."""

    list_display = ["name", "kind", "region", "capacity", "osm_ref"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "name_ru", "name_kk", "name_en", "address", "osm_ref"]
    readonly_fields = ["osm_ref"]

    def save_model(self, request: HttpRequest, obj: Facility, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            fresh = Facility.objects.get(pk=obj.pk)
            services.update_facility(acting_user=request.user, facility=fresh, **data)
        else:
            created = services.create_facility(acting_user=request.user, **form.cleaned_data)
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Facility) -> None:
        services.delete_facility(acting_user=request.user, facility=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for facility in queryset:
            services.delete_facility(acting_user=request.user, facility=facility)


class OsmImportForm(forms.ModelForm):
    """Upload an OpenStreetMap extract for a region that has a boundary."""

    osm_file = forms.FileField(
        label=_("OpenStreetMap file (.osm.pbf)"),
        help_text=_(
            "An extract covering the region, e.g. from download.geofabrik.de; it is imported "
            "in the background and this page shows the progress."
        ),
    )

    class Meta:
        model = OsmImport
        fields = ["region"]

    def clean_region(self) -> Region:
        region: Region = self.cleaned_data["region"]
        try:
            osm_import.require_boundary(region)
        except ValidationError as error:
            raise ValidationError(error.message_dict["region"]) from None
        return region

    def clean_osm_file(self) -> Any:
        upload = self.cleaned_data["osm_file"]
        if not str(upload.name).lower().endswith(".pbf"):
            raise ValidationError(_("Expected an .osm.pbf file."))
        return upload


@admin.register(OsmImport)
class OsmImportAdmin(admin.ModelAdmin):
    """Add = upload and queue; the page of an import shows its progress (refreshing itself
    until it is finished) and is otherwise read-only."""

    list_display = ["file_name", "region", "status", "progress", "message", "created_at"]
    list_filter = ["status", "region"]
    shown = [
        "region",
        "file_name",
        "status",
        "progress_bar",
        "message",
        "result",
        "requested_by",
        "started_at",
        "finished_at",
    ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = OsmImportForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["region", "osm_file"] if obj is None else self.shown

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else self.shown

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("progress"))
    def progress_bar(self, obj: OsmImport) -> str:
        return format_html(
            '<progress value="{}" max="100">{} %</progress> {} %',
            obj.progress,
            obj.progress,
            obj.progress,
        )

    def save_model(self, request: HttpRequest, obj: OsmImport, form: Any, change: bool) -> None:
        job = osm_import.request_import(
            acting_user=request.user,
            region=form.cleaned_data["region"],
            upload=form.cleaned_data["osm_file"],
        )
        obj.pk, obj.file_name, obj.created_at = job.pk, job.file_name, job.created_at

    def response_add(
        self, request: HttpRequest, obj: OsmImport, post_url_continue: Any = None
    ) -> HttpResponse:
        """Straight to the import's own page, where its progress shows."""
        return redirect(reverse("admin:facilities_osmimport_change", args=[obj.pk]))
