from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

BRIEF_LINE = _(
    "control of highways, warming points, special equipment and aviation on standby for bad weather"
)
INDICATORS = (
    Indicator(
        "road_closures",
        _("Road closures"),
        BRIEF_LINE,
        _("Closures and restrictions of highway segments that started in the period."),
        "roads.closure",
        "saqshy.roads.indicators.road_closures",
        unit="count",
        higher_is_better=False,
        order=90,
    ),
    Indicator(
        "road_closure_km_hours",
        _("Kilometre-hours of closed road"),
        BRIEF_LINE,
        _(
            "Length of each closed highway segment times the hours of the period it was closed "
            "(restrictions not counted)."
        ),
        "roads.closure",
        "saqshy.roads.indicators.road_closure_km_hours",
        unit="count",
        higher_is_better=False,
        order=91,
    ),
)


class RoadsConfig(registry.SaqshyAppConfig):
    name = "saqshy.roads"
    label = "roads"
    verbose_name = _("Roads: highway segments and closures")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        pages=(PageUrls("roads/", "saqshy.roads.urls"),),
        api="saqshy.roads.api.urls",
        map_layers=(
            MapLayer(
                config="saqshy.roads.map.layer_config",
                scripts=("roads/map-roads.js",),
                legend="roads/map_legend.html",
            ),
        ),
        nav=(NavEntry(_("Roads"), "roads:segments", 117, ("roads",), "roads.segment"),),
        # Closing and reopening is further limited in the services to the road authority's
        # planners and duty officers and the duty officers of the emergency service and the
        # akimat (``services.CLOSING_ROLES``); every role with a view grant reads the roads.
        role_rules={
            "planner": (("*", "roads.*"),),
            "duty-officer": (("*", "roads.closure"),),
            "dispatcher": (("view", "roads.*"),),
            "viewer": (("view", "roads.*"),),
        },
        schema_enums={
            "SegmentStatusEnum": "saqshy.roads.choices.SEGMENT_STATUSES",
            "RestrictionEnum": "saqshy.roads.choices.RESTRICTIONS",
            "ClosureReasonEnum": "saqshy.roads.choices.CLOSURE_REASONS",
            "VehicleClassEnum": "saqshy.roads.choices.VEHICLE_CLASSES",
        },
    )
