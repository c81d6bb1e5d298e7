from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "raids",
        _("Pyrotechnics raids"),
        _(
            "raids on pyrotechnics storage and retail (700 units and 97 boxes of "
            "uncertified pyrotechnics already seized)"
        ),
        _("Raids on pyrotechnics outlets done, planned for the days of the period."),
        "pyrotechnics.raid",
        "saqshy.pyrotechnics.indicators.raids",
        unit="count",
        order=30,
    ),
    Indicator(
        "pyro_units_seized",
        _("Pyrotechnics seized, units"),
        _(
            "raids on pyrotechnics storage and retail (700 units and 97 boxes of "
            "uncertified pyrotechnics already seized)"
        ),
        _("Units of pyrotechnics seized on the days of the period, certified or not."),
        "pyrotechnics.seizure",
        "saqshy.pyrotechnics.indicators.pyro_units_seized",
        unit="count",
        order=31,
    ),
    Indicator(
        "pyro_boxes_seized",
        _("Pyrotechnics seized, boxes"),
        _(
            "raids on pyrotechnics storage and retail (700 units and 97 boxes of "
            "uncertified pyrotechnics already seized)"
        ),
        _("Boxes of pyrotechnics seized on the days of the period, certified or not."),
        "pyrotechnics.seizure",
        "saqshy.pyrotechnics.indicators.pyro_boxes_seized",
        unit="count",
        order=32,
    ),
)


class PyrotechnicsConfig(registry.SaqshyAppConfig):
    name = "saqshy.pyrotechnics"
    label = "pyrotechnics"
    verbose_name = _("Pyrotechnics control")
    declaration = AppDeclaration(
        indicators=INDICATORS,
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
