from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "alerts_published",
        _("Public alerts published"),
        _("public-awareness campaigns"),
        _(
            "Alerts to the population (new alerts, updates and cancellations in CAP) approved "
            "and published in the period."
        ),
        "alerts.alert",
        "saqshy.alerts.indicators.alerts_published",
        unit="count",
        higher_is_better=True,
        order=125,
    ),
)


class AlertsConfig(registry.SaqshyAppConfig):
    name = "saqshy.alerts"
    label = "alerts"
    verbose_name = _("Alerts")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        pages=(
            PageUrls("alerts/", "saqshy.alerts.urls"),
            PageUrls("public/", "saqshy.alerts.public_urls"),
        ),
        nav=(NavEntry(_("Public alerts"), "alerts:list", 125, ("alerts",), "alerts.alert"),),
        map_layers=(
            MapLayer(
                config="saqshy.alerts.map.layer_config",
                scripts=("alerts/map-alerts.js",),
                legend="alerts/map_legend.html",
            ),
        ),
        api="saqshy.alerts.api.urls",
        # Planners and duty officers write, approve and publish alerts in their region (the
        # services refuse an author approving their own alert); every role reads them.
        role_rules={
            "planner": (("*", "alerts.*"),),
            "duty-officer": (("*", "alerts.*"),),
            "dispatcher": (("*", "alerts.*"),),
            "viewer": (("view", "alerts.*"),),
            # The head of the region approves (publishes) the alerts its officers write.
            "region-head": (("change", "alerts.alert"),),
        },
        schema_enums={
            "CapStatusEnum": "saqshy.alerts.choices.CAP_STATUSES",
            "CapMsgTypeEnum": "saqshy.alerts.choices.MSG_TYPES",
            "AlertStateEnum": "saqshy.alerts.choices.ALERT_STATES",
            "CapUrgencyEnum": "saqshy.alerts.choices.CAP_URGENCIES",
            "CapSeverityEnum": "saqshy.alerts.choices.CAP_SEVERITIES",
            "CapCertaintyEnum": "saqshy.alerts.choices.CAP_CERTAINTIES",
        },
    )
