from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class HydrantKind(ChoiceSet):
    """What kind of fire water source a hydrant is."""

    UNDERGROUND = "underground"
    PILLAR = "pillar"
    WATER_TANK = "water_tank"

    CHOICES = [
        (UNDERGROUND, _("Underground hydrant"), "#2b8cbe"),
        (PILLAR, _("Pillar (above-ground) hydrant"), "#d7301f"),
        (WATER_TANK, _("Fire water tank"), "#41b6c4"),
    ]


class EquipmentKind(ChoiceSet):
    """Fire-protection equipment kept at a facility."""

    EXTINGUISHER = "extinguisher"
    FIRE_ALARM = "fire_alarm"
    SPRINKLER = "sprinkler"
    EMERGENCY_LIGHTING = "emergency_lighting"
    FIRE_BLANKET = "fire_blanket"

    CHOICES = [
        (EXTINGUISHER, _("Fire extinguisher"), "#e31a1c"),
        (FIRE_ALARM, _("Fire alarm system"), "#ff7f00"),
        (SPRINKLER, _("Sprinkler system"), "#1f78b4"),
        (EMERGENCY_LIGHTING, _("Emergency lighting"), "#ffd92f"),
        (FIRE_BLANKET, _("Fire blanket"), "#6a3d9a"),
    ]


# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] so the API schema has one enum each.
HYDRANT_KINDS = HydrantKind.choices()
EQUIPMENT_KINDS = EquipmentKind.choices()
