from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls

# Every role reads the plan (most already view everything); the secretariat keeps it.
_READ = (("view", "actionplan.*"),)


class ActionPlanConfig(registry.SaqshyAppConfig):
    name = "saqshy.actionplan"
    label = "actionplan"
    verbose_name = _("Action plan")
    declaration = AppDeclaration(
        pages=(PageUrls("actionplan/", "saqshy.actionplan.urls"),),
        api="saqshy.actionplan.api.urls",
        nav=(
            NavEntry(
                _("Action plan"), "actionplan:list", 90, ("actionplan",), "actionplan.measure"
            ),
        ),
        role_rules={
            "commission-secretary": (
                ("add", "actionplan.*"),
                ("change", "actionplan.*"),
                # A regional target the plan no longer sets; measures are cancelled, not deleted.
                ("delete", "actionplan.measuretarget"),
            ),
            "field-officer": _READ,
            "trip-organiser": _READ,
            "viewer": _READ,
            "social-services": _READ,
        },
        schema_enums={"MeasureStatusEnum": "saqshy.actionplan.choices.MEASURE_STATUSES"},
    )
