from typing import Any

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

# Households and call-backs hold personal data: granted only by rules naming them.
PERSONAL_DATA = ("alarms.household", "alarms.callback")

_SOCIAL_SERVICES_KEEP = (
    ("*", "alarms.household"),
    ("*", "alarms.installation"),
    ("*", "alarms.installationcampaign"),
    ("*", "alarms.campaigntarget"),
    ("*", "alarms.maintenancetask"),
)


INDICATORS = (
    Indicator(
        "sensors_installed",
        _("Home sensors installed"),
        _("fire-alarm sensors in homes of socially vulnerable people (36,000 installed)"),
        _(
            "Home fire-alarm sensors installed up to the period's last day whose device "
            "is not retired."
        ),
        "alarms.installation",
        "saqshy.alarms.indicators.sensors_installed",
        unit="count",
        order=70,
    ),
    Indicator(
        "sensors_online",
        _("Home sensors online"),
        _("fire-alarm sensors in homes of socially vulnerable people (36,000 installed)"),
        _(
            "Share of those sensors whose device is online. The device's status history "
            "is not kept: a past period shows today's status."
        ),
        "alarms.installation",
        "saqshy.alarms.indicators.sensors_online",
        unit="share",
        order=71,
    ),
    Indicator(
        "home_alarms",
        _("Home alarms"),
        _("fire-alarm sensors in homes of socially vulnerable people (36,000 installed)"),
        _("Incidents reported in the period that a home sensor's alarm opened or joined."),
        "alarms.alarmevent",
        "saqshy.alarms.indicators.home_alarms",
        unit="count",
        higher_is_better=False,
        order=72,
    ),
)


class AlarmsConfig(registry.SaqshyAppConfig):
    name = "saqshy.alarms"
    label = "alarms"
    verbose_name = _("Home fire alarms")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        pages=(PageUrls("alarms/", "saqshy.alarms.urls"),),
        map_layers=(
            MapLayer(
                config="saqshy.alarms.map.layer_config",
                scripts=("alarms/map-home-alarms.js",),
                legend="alarms/map_legend.html",
            ),
        ),
        api="saqshy.alarms.api.urls",
        nav=(
            NavEntry(
                _("Home alarms"), "alarms:installations", 120, ("alarms",), "alarms.installation"
            ),
        ),
        reference_data=("alarms.householdcategory",),
        personal_data=PERSONAL_DATA,
        # The fire service's dispatch sees a household only while its alarm incident is open
        # (saqshy/alarms/queries.py::households_for), not through a rule here.
        role_rules={
            "admin": tuple(("*", name) for name in PERSONAL_DATA),
            "social-services": (
                ("view", "alarms.*"),
                *_SOCIAL_SERVICES_KEEP,
                ("view", "ingest.device"),
            ),
        },
        incident_panels=("saqshy.alarms.views.incident_panel",),
        schema_enums={
            "CallBackStatusEnum": "saqshy.alarms.choices.CALLBACK_STATUSES",
            "CallBackAnswerEnum": "saqshy.alarms.choices.CALLBACK_ANSWERS",
            "AlarmOutcomeEnum": "saqshy.alarms.choices.ALARM_OUTCOMES",
            "ContactLanguageEnum": "saqshy.alarms.choices.CONTACT_LANGUAGES",
        },
    )

    def ready(self) -> None:
        super().ready()
        from saqshy.alarms import services
        from saqshy.ingest import handlers

        for kind in services.RECORDED_KINDS:
            handlers.register(kind, services.handle_events)
        from saqshy.alarms import health

        health.register_handlers()
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_reference_data, sender=self)


def _install_reference_data(sender: Any, **kwargs: Any) -> None:
    """Put back missing household categories and the alarm incident type after every migrate
    (and after a test database flush, which empties what the data migration wrote)."""
    from saqshy.alarms.defaults import install
    from saqshy.alarms.models import HouseholdCategory
    from saqshy.incidents.models import IncidentType

    install(HouseholdCategory, IncidentType)
