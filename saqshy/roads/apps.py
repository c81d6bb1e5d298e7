from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class RoadsConfig(registry.SaqshyAppConfig):
    name = "saqshy.roads"
    label = "roads"
    verbose_name = _("Roads: highway segments and closures")
    declaration = AppDeclaration(
        role_rules={
            "planner": (("*", "roads.*"),),
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
