from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls


class GatheringsConfig(registry.SaqshyAppConfig):
    name = "saqshy.gatherings"
    label = "gatherings"
    verbose_name = _("Mass events")
    declaration = AppDeclaration(
        map_layers=(
            MapLayer(
                scripts=("gatherings/map-events.js",),
                legend="gatherings/map_legend.html",
            ),
        ),
        pages=(PageUrls("events/", "saqshy.gatherings.urls"),),
        api="saqshy.gatherings.api.urls",
        nav=(NavEntry(_("Mass events"), "gatherings:list", 50, ("gatherings",)),),
        role_rules={
            "planner": (("*", "gatherings.*"),),
            "field-officer": (("view", "gatherings.*"),),
            "viewer": (("view", "gatherings.*"),),
        },
        schema_enums={
            "GatheringKindEnum": "saqshy.gatherings.choices.GATHERING_KINDS",
            "GatheringStatusEnum": "saqshy.gatherings.choices.GATHERING_STATUSES",
        },
    )
