"""Protective security of crowded places: assessments by capacity tier, findings, CCTV cover."""

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls

BRIEF = _("counter-terrorism prevention at crowded facilities")

INDICATORS = (
    Indicator(
        "crowded_venues_assessed",
        _("Crowded venues assessed"),
        BRIEF,
        _(
            "Venues with a completed protective-security assessment valid on the period's "
            "last day (completed by the period's end)."
        ),
        "protection.assessment",
        "saqshy.protection.indicators.crowded_venues_assessed",
        unit="count",
        higher_is_better=True,
        order=100,
    ),
    Indicator(
        "protection_critical_open",
        _("Open critical protective-security findings"),
        BRIEF,
        _(
            "Critical findings of protective-security assessments recorded by the period's "
            "end and not fixed by its last day."
        ),
        "protection.finding",
        "saqshy.protection.indicators.protection_critical_open",
        unit="count",
        higher_is_better=False,
        order=101,
    ),
)


class ProtectionConfig(registry.SaqshyAppConfig):
    name = "saqshy.protection"
    label = "protection"
    verbose_name = _("Protective security")
    declaration = AppDeclaration(
        indicators=INDICATORS,
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
            "AssessmentStatusEnum": "saqshy.protection.choices.ASSESSMENT_STATUSES",
            "FindingStatusEnum": "saqshy.protection.choices.FINDING_STATUSES",
        },
    )
