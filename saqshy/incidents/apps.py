from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

ENDS_CALLS = (
    ("close", "incidents.incident"),
    ("cancel", "incidents.incident"),
    ("withdraw", "incidents.unit"),
)


INDICATORS = (
    Indicator(
        "incidents",
        _("Incidents"),
        _("visual monitoring through video cameras and prompt response to incidents"),
        _("Incidents reported in the period, merged duplicates left out."),
        "incidents.incident",
        "saqshy.incidents.indicators.incidents",
        unit="count",
        higher_is_better=False,
        order=40,
    ),
    Indicator(
        "dispatch_within_norm",
        _("Dispatched within the norm"),
        _("visual monitoring through video cameras and prompt response to incidents"),
        _(
            "Share of the period's dispatched incidents whose first dispatch came within "
            "the dispatch norm after the call."
        ),
        "incidents.incident",
        "saqshy.incidents.indicators.dispatch_within_norm",
        unit="share",
        order=41,
    ),
    Indicator(
        "response_within_norm",
        _("Arrived within the norm"),
        _("visual monitoring through video cameras and prompt response to incidents"),
        _(
            "Share of the period's incidents with an arrival norm for their type whose "
            "units were on scene within it after the dispatch."
        ),
        "incidents.incident",
        "saqshy.incidents.indicators.response_within_norm",
        unit="share",
        order=42,
    ),
)


class IncidentsConfig(registry.SaqshyAppConfig):
    name = "saqshy.incidents"
    label = "incidents"
    verbose_name = _("Incidents and dispatch")
    declaration = AppDeclaration(
        indicators=INDICATORS,
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
        # Closing or cancelling a call and taking a unit off the road are spelled out although
        # ("*", "incidents.*") covers them, so granting incidents to another role is a decision
        # about these too. Where: the duty officer any call and unit of the region, a dispatcher
        # only the calls their agency took and its units (incidents/services.py). A field
        # officer may change a unit (position, back in service) but not withdraw it.
        role_rules={
            "duty-officer": (("*", "incidents.*"), *ENDS_CALLS),
            "dispatcher": (("*", "incidents.*"), *ENDS_CALLS),
            "field-officer": (("view", "incidents.*"), ("change", "incidents.unit")),
        },
        map_layers=(
            MapLayer(
                config="saqshy.incidents.map.layer_config",
                scripts=(
                    "incidents/map-ops.js",
                    "incidents/map-units.js",
                    "incidents/map-routes.js",
                    "incidents/map-incidents.js",
                    "incidents/map-desk.js",
                    "incidents/map-attention.js",
                    "incidents/map-keys.js",
                ),
                legend="incidents/map_legend.html",
            ),
        ),
        schema_enums={
            "UnitKindEnum": "saqshy.incidents.choices.UNIT_KINDS",
            "UnitStatusEnum": "saqshy.incidents.choices.UNIT_STATUSES",
            "IncidentStatusEnum": "saqshy.incidents.choices.INCIDENT_STATUSES",
            "IncidentSourceEnum": "saqshy.incidents.choices.INCIDENT_SOURCES",
            "JournalKindEnum": "saqshy.incidents.choices.JOURNAL_KINDS",
        },
    )

    def ready(self) -> None:
        super().ready()
        from saqshy.incidents import services
        from saqshy.ingest import handlers
        from saqshy.ingest.choices import MessageKind

        handlers.register(MessageKind.POSITION, services.record_tracker_positions)
