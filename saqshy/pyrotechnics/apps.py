from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls


class PyrotechnicsConfig(registry.SaqshyAppConfig):
    name = "saqshy.pyrotechnics"
    label = "pyrotechnics"
    verbose_name = _("Pyrotechnics control")
    declaration = AppDeclaration(
        map_layers=(
            MapLayer(
                scripts=("pyrotechnics/map-outlets.js",),
                legend="pyrotechnics/map_legend.html",
            ),
        ),
        pages=(PageUrls("pyrotechnics/", "saqshy.pyrotechnics.urls"),),
        api="saqshy.pyrotechnics.api.urls",
        nav=(NavEntry(_("Pyrotechnics"), "pyrotechnics:overview", 110, ("pyrotechnics",)),),
        role_rules={
            "planner": (("*", "pyrotechnics.*"),),
            "inspector": (("*", "pyrotechnics.*"),),
            "field-officer": (
                ("view", "pyrotechnics.*"),
                ("change", "pyrotechnics.raidvisit"),
                ("add", "pyrotechnics.seizure"),
                ("add", "pyrotechnics.seizureline"),
            ),
            "viewer": (("view", "pyrotechnics.*"),),
        },
        schema_enums={
            "OutletKindEnum": "saqshy.pyrotechnics.choices.OUTLET_KINDS",
            "RaidStatusEnum": "saqshy.pyrotechnics.choices.RAID_STATUSES",
            "VisitResultEnum": "saqshy.pyrotechnics.choices.VISIT_RESULTS",
        },
    )
