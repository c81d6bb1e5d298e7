from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls


class FacilitiesConfig(registry.SaqshyAppConfig):
    name = "saqshy.facilities"
    label = "facilities"
    verbose_name = _("Facilities")
    declaration = AppDeclaration(
        map_layers=(
            MapLayer(
                scripts=("facilities/map-facilities.js",),
                legend="facilities/map_legend.html",
            ),
        ),
        pages=(PageUrls("facilities/", "saqshy.facilities.urls"),),
        api="saqshy.facilities.api.urls",
        nav=(NavEntry(_("Facilities"), "facilities:list", 40, ("facilities",)),),
        # Importing a whole OSM extract is an administrator's job.
        reference_data=("facilities.osmimport",),
        role_rules={
            "planner": (("*", "facilities.*"),),
            "duty-officer": (("change", "facilities.facility"),),
            "inspector": (("add", "facilities.*"), ("change", "facilities.*")),
            "field-officer": (("view", "facilities.*"),),
            "trip-organiser": (("view", "facilities.*"),),
            "viewer": (("view", "facilities.*"),),
        },
        schema_enums={"FacilityKindEnum": "saqshy.facilities.choices.FACILITY_KINDS"},
    )
