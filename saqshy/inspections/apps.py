from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class InspectionsConfig(registry.SaqshyAppConfig):
    name = "saqshy.inspections"
    label = "inspections"
    verbose_name = _("Fire-safety inspections")
    declaration = AppDeclaration(
        pages=(PageUrls("inspections/", "saqshy.inspections.urls"),),
        api="saqshy.inspections.api.urls",
        nav=(NavEntry(_("Fire safety"), "inspections:violations", 70, ("inspections",)),),
        reference_data=("inspections.checklistitem",),
        role_rules={"inspector": (("*", "inspections.*"),)},
        schema_enums={
            "SeverityEnum": "saqshy.inspections.choices.SEVERITIES",
            "ViolationStatusEnum": "saqshy.inspections.choices.VIOLATION_STATUSES",
        },
    )
