from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls


class AlertsConfig(registry.SaqshyAppConfig):
    name = "saqshy.alerts"
    label = "alerts"
    verbose_name = _("Alerts")
    declaration = AppDeclaration(
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
        },
    )
