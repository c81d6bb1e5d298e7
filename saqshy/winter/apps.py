"""Winter on the roads: warming points, stranded people and vehicles, standby equipment."""

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

BRIEF = _(
    "control of highways, warming points, special equipment and aviation on standby for bad weather"
)

INDICATORS = (
    Indicator(
        "stranded_people",
        _("People stranded on the roads"),
        BRIEF,
        _("People in stranded reports registered in the period."),
        "winter.strandedreport",
        "saqshy.winter.indicators.stranded_people",
        unit="count",
        higher_is_better=False,
        order=95,
    ),
    Indicator(
        "stranded_evacuated",
        _("Stranded people evacuated"),
        BRIEF,
        _("People of stranded reports taken to a warming point in the period."),
        "winter.strandedreport",
        "saqshy.winter.indicators.stranded_evacuated",
        unit="count",
        higher_is_better=True,
        order=96,
    ),
    Indicator(
        "warming_points_open",
        _("Warming points open"),
        BRIEF,
        _(
            "Warming points recorded by the end of the period and open now (when a point was "
            "open is not kept as history)."
        ),
        "winter.warmingpoint",
        "saqshy.winter.indicators.warming_points_open",
        unit="count",
        higher_is_better=True,
        order=97,
    ),
)


class WinterConfig(registry.SaqshyAppConfig):
    name = "saqshy.winter"
    label = "winter"
    verbose_name = _("Winter")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        pages=(PageUrls("winter/", "saqshy.winter.urls"),),
        api="saqshy.winter.api.urls",
        nav=(
            NavEntry(_("Winter roads"), "winter:stranded", 136, ("winter",), "winter.warmingpoint"),
        ),
        map_layers=(
            MapLayer(
                config="saqshy.winter.map.layer_config",
                scripts=("winter/map-winter.js",),
                legend="winter/map_legend.html",
            ),
        ),
        # Warming points are run by the akimats and emergency services of the region; the
        # duty desk registers stranded people and sends them to a point; planners hold
        # equipment on standby. A field officer at a point updates its occupancy by phone.
        role_rules={
            "region-coordinator": (("*", "winter.*"),),
            "planner": (("*", "winter.*"),),
            "duty-officer": (("*", "winter.strandedreport"), ("change", "winter.warmingpoint")),
            "dispatcher": (("*", "winter.strandedreport"), ("change", "winter.warmingpoint")),
            "field-officer": (("view", "winter.warmingpoint"), ("change", "winter.warmingpoint")),
            "viewer": (("view", "winter.*"),),
        },
        schema_enums={
            "StrandedStatusEnum": "saqshy.winter.choices.STRANDED_STATUSES",
            "FuelLeftEnum": "saqshy.winter.choices.FUEL_LEFT",
            "WinterVehicleKindEnum": "saqshy.winter.choices.VEHICLE_KINDS",
            "StandbyReadinessEnum": "saqshy.winter.choices.READINESS",
            "StandbyEquipmentEnum": "saqshy.winter.choices.EQUIPMENT_TYPES",
        },
    )
