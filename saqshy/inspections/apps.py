from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "inspections",
        _("Inspections"),
        _(
            "fire-safety inspections of more than 7,000 crowded facilities with "
            "violations eliminated and venues approved for operation"
        ),
        _("Fire-safety inspections and re-inspections carried out on the days of the period."),
        "inspections.inspection",
        "saqshy.inspections.indicators.inspections",
        unit="count",
        order=20,
    ),
    Indicator(
        "venues_inspected",
        _("Venues inspected"),
        _(
            "fire-safety inspections of more than 7,000 crowded facilities with "
            "violations eliminated and venues approved for operation"
        ),
        _("Distinct facilities inspected on the days of the period."),
        "inspections.inspection",
        "saqshy.inspections.indicators.venues_inspected",
        unit="count",
        order=21,
    ),
    Indicator(
        "violations_found",
        _("Violations found"),
        _(
            "fire-safety inspections of more than 7,000 crowded facilities with "
            "violations eliminated and venues approved for operation"
        ),
        _("Violations recorded by the inspections of the period's days."),
        "inspections.violation",
        "saqshy.inspections.indicators.violations_found",
        unit="count",
        higher_is_better=False,
        order=22,
    ),
    Indicator(
        "violations_eliminated",
        _("Violations eliminated"),
        _(
            "fire-safety inspections of more than 7,000 crowded facilities with "
            "violations eliminated and venues approved for operation"
        ),
        _("Share of the violations found in the period that are now eliminated or verified."),
        "inspections.violation",
        "saqshy.inspections.indicators.violations_eliminated",
        unit="share",
        order=23,
    ),
    Indicator(
        "open_violations",
        _("Open violations"),
        _(
            "fire-safety inspections of more than 7,000 crowded facilities with "
            "violations eliminated and venues approved for operation"
        ),
        _(
            "Violations found up to the period's last day and not eliminated by then, "
            "whenever they were found."
        ),
        "inspections.violation",
        "saqshy.inspections.indicators.open_violations",
        unit="count",
        higher_is_better=False,
        order=24,
    ),
    Indicator(
        "venues_cleared",
        _("Venues cleared for operation"),
        _(
            "fire-safety inspections of more than 7,000 crowded facilities with "
            "violations eliminated and venues approved for operation"
        ),
        _(
            "Facilities cleared for operation on the period's last day: inspected within "
            "the validity norm, with no major or critical violation unverified."
        ),
        "inspections.inspection",
        "saqshy.inspections.indicators.venues_cleared",
        unit="count",
        order=25,
    ),
    Indicator(
        "briefings",
        _("Staff briefings"),
        _("briefings and training of facility staff"),
        _("Briefings of facility staff held on the days of the period."),
        "inspections.briefing",
        "saqshy.inspections.indicators.briefings",
        unit="count",
        order=26,
    ),
    Indicator(
        "drills",
        _("Evacuation drills"),
        _("evacuation drills"),
        _("Evacuation drills held on the days of the period."),
        "inspections.drill",
        "saqshy.inspections.indicators.drills",
        unit="count",
        order=27,
    ),
)


class InspectionsConfig(registry.SaqshyAppConfig):
    name = "saqshy.inspections"
    label = "inspections"
    verbose_name = _("Fire-safety inspections")
    declaration = AppDeclaration(
        indicators=INDICATORS,
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
