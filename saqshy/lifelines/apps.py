from typing import Any

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "outages",
        _("Utility outages"),
        _(
            "safety of energy facilities, heating and water supply parameters, repair-"
            "crew duty schedules"
        ),
        _("Outages of heating, water or power supply that started in the period."),
        "lifelines.outage",
        "saqshy.lifelines.indicators.outages",
        unit="count",
        higher_is_better=False,
        order=80,
    ),
)


class LifelinesConfig(registry.SaqshyAppConfig):
    name = "saqshy.lifelines"
    label = "lifelines"
    verbose_name = _("Lifelines: heating, water, power")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        map_layers=(
            MapLayer(
                config="saqshy.lifelines.map.layer_config",
                scripts=("lifelines/map-lifelines.js",),
                legend="lifelines/map_legend.html",
            ),
        ),
        pages=(PageUrls("lifelines/", "saqshy.lifelines.urls"),),
        api="saqshy.lifelines.api.urls",
        nav=(
            NavEntry(
                _("Lifelines"), "lifelines:outages", 115, ("lifelines",), "lifelines.utilitysite"
            ),
        ),
        # Outages are changed by the region's energy agency (checked in the services); every
        # role with a view grant reads them.
        role_rules={
            "planner": (("*", "lifelines.outage"), ("change", "lifelines.utilitysite")),
            "dispatcher": (("*", "lifelines.outage"),),
            "viewer": (("view", "lifelines.*"),),
        },
        reference_data=("lifelines.parameter", "lifelines.threshold"),
        schema_enums={
            "SiteKindEnum": "saqshy.lifelines.choices.SITE_KINDS",
            "OutageStatusEnum": "saqshy.lifelines.choices.OUTAGE_STATUSES",
            "AlertStatusEnum": "saqshy.lifelines.choices.ALERT_STATUSES",
        },
    )

    def ready(self) -> None:
        super().ready()
        from saqshy.ingest.handlers import register_readings
        from saqshy.lifelines.monitor import check_readings

        register_readings(check_readings)
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_reference_data, sender=self)


def _install_reference_data(sender: Any, **kwargs: Any) -> None:
    """Put back missing default parameters and thresholds after every migrate (and after a
    test database flush, which empties what the data migration wrote)."""
    from saqshy.lifelines.defaults import install
    from saqshy.lifelines.models import Parameter, Threshold

    install(Parameter, Threshold)
