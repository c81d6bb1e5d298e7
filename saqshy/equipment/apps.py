from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class EquipmentConfig(registry.SaqshyAppConfig):
    name = "saqshy.equipment"
    label = "equipment"
    verbose_name = _("Fire equipment")
    declaration = AppDeclaration(
        pages=(PageUrls("equipment/", "saqshy.equipment.urls"),),
        api="saqshy.equipment.api.urls",
        nav=(NavEntry(_("Hydrants"), "equipment:hydrant-list", 90, ("equipment",)),),
        role_rules={"inspector": (("*", "equipment.*"),)},
        schema_enums={
            "HydrantKindEnum": "saqshy.equipment.choices.HYDRANT_KINDS",
            "EquipmentKindEnum": "saqshy.equipment.choices.EQUIPMENT_KINDS",
        },
    )
