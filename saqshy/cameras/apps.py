"""Cameras: registry, crowd density from video, and what they show near events and incidents."""

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls


class CamerasConfig(registry.SaqshyAppConfig):
    name = "saqshy.cameras"
    label = "cameras"
    verbose_name = _("Cameras")
    declaration = AppDeclaration(
        pages=(PageUrls("cameras/", "saqshy.cameras.urls"),),
        api="saqshy.cameras.api.urls",
        nav=(NavEntry(_("Cameras"), "cameras:list", 55, ("cameras",), "cameras.camera"),),
        map_layers=(
            MapLayer(
                config="saqshy.cameras.map.layer_config",
                scripts=("cameras/map-cameras.js",),
                legend="cameras/map_legend.html",
            ),
        ),
        # The region's coordinator keeps the register (with the owners' consent for
        # snapshots); dispatchers and duty officers see it through their ``view *`` rule.
        role_rules={
            "region-coordinator": (("*", "cameras.*"),),
            "viewer": (("view", "cameras.*"),),
        },
        incident_panels=("saqshy.cameras.views.incident_panel",),
        event_panels=("saqshy.cameras.views.event_panel",),
        schema_enums={"DensityLevelEnum": "saqshy.cameras.choices.DENSITY_LEVELS"},
    )
