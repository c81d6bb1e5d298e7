from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from saqshy.facilities import services
from saqshy.facilities.models import Facility


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
