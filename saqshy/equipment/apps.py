from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "equipment_checks",
        _("Equipment checks"),
        _("checks of extinguishers and hydrants"),
        _(
            "Checks of hydrants and of facility equipment (extinguishers, alarms, "
            "sprinklers and others) on the days of the period."
        ),
        "equipment.equipmentcheck",
        "saqshy.equipment.indicators.equipment_checks",
        unit="count",
        order=28,
    ),
)


class EquipmentConfig(registry.SaqshyAppConfig):
    name = "saqshy.equipment"
    label = "equipment"
    verbose_name = _("Fire equipment")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        pages=(PageUrls("equipment/", "saqshy.equipment.urls"),),
        api="saqshy.equipment.api.urls",
        nav=(NavEntry(_("Hydrants"), "equipment:hydrant-list", 90, ("equipment",)),),
        role_rules={"inspector": (("*", "equipment.*"),)},
        schema_enums={
            "HydrantKindEnum": "saqshy.equipment.choices.HYDRANT_KINDS",
            "EquipmentKindEnum": "saqshy.equipment.choices.EQUIPMENT_KINDS",
        },
    )
