from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls


class IncidentsConfig(registry.SaqshyAppConfig):
    name = "saqshy.incidents"
    label = "incidents"
    verbose_name = _("Incidents and dispatch")
    declaration = AppDeclaration(
        pages=(
            PageUrls("incidents/", "saqshy.incidents.urls"),
            PageUrls("units/", "saqshy.incidents.unit_urls"),
        ),
        api="saqshy.incidents.api.urls",
        nav=(
            NavEntry(_("Incidents"), "incidents:list", 20, ("incidents",)),
            NavEntry(pgettext_lazy("emergency unit", "Units"), "units:board", 30, ("units",)),
        ),
        reference_data=("incidents.incidenttype",),
        role_rules={
            "duty-officer": (("*", "incidents.*"),),
            "dispatcher": (("*", "incidents.*"),),
            "field-officer": (("view", "incidents.*"), ("change", "incidents.unit")),
        },
        map_layers=(MapLayer(config="saqshy.incidents.map.layer_config"),),
        schema_enums={
            "UnitKindEnum": "saqshy.incidents.choices.UNIT_KINDS",
            "UnitStatusEnum": "saqshy.incidents.choices.UNIT_STATUSES",
            "IncidentStatusEnum": "saqshy.incidents.choices.INCIDENT_STATUSES",
            "IncidentSourceEnum": "saqshy.incidents.choices.INCIDENT_SOURCES",
            "JournalKindEnum": "saqshy.incidents.choices.JOURNAL_KINDS",
        },
    )
