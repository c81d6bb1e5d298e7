from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class RoadsConfig(registry.SaqshyAppConfig):
    name = "saqshy.roads"
    label = "roads"
    verbose_name = _("Roads: highway segments and closures")
    declaration = AppDeclaration(
        pages=(PageUrls("roads/", "saqshy.roads.urls"),),
        api="saqshy.roads.api.urls",
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
