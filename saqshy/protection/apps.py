"""Protective security of crowded places: assessments by capacity tier, findings, CCTV cover."""

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class ProtectionConfig(registry.SaqshyAppConfig):
    name = "saqshy.protection"
    label = "protection"
    verbose_name = _("Protective security")
    declaration = AppDeclaration(
        pages=(PageUrls("protection/", "saqshy.protection.urls"),),
        api="saqshy.protection.api.urls",
        nav=(
            NavEntry(
                _("Protective security"),
                "protection:list",
                118,
                ("protection",),
                "protection.assessment",
            ),
        ),
        # The region's coordinator and the planners run the programme (they also approve the
        # events it gates); police and emergency inspectors assess venues and record and fix
        # findings; everyone else with a view grant reads. The checklist is reference data:
        # the secretariat edits it in the admin.
        role_rules={
            "region-coordinator": (("*", "protection.assessment"), ("*", "protection.finding")),
            "planner": (("*", "protection.assessment"), ("*", "protection.finding")),
            "inspector": (
                ("add", "protection.assessment"),
                ("change", "protection.assessment"),
                ("add", "protection.finding"),
                ("change", "protection.finding"),
            ),
            "viewer": (("view", "protection.*"),),
        },
        reference_data=("protection.checklistitem",),
        schema_enums={
            "ProtectionTierEnum": "saqshy.protection.choices.TIERS",
            "ProtectionAnswerEnum": "saqshy.protection.choices.ANSWERS",
            "ProtectionSeverityEnum": "saqshy.protection.choices.SEVERITIES",
            "AssessmentStatusEnum": "saqshy.protection.choices.ASSESSMENT_STATUSES",
            "FindingStatusEnum": "saqshy.protection.choices.FINDING_STATUSES",
        },
    )
