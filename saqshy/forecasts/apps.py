from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer


class ForecastsConfig(registry.SaqshyAppConfig):
    name = "saqshy.forecasts"
    label = "forecasts"
    verbose_name = _("Hotspot forecasts")
    declaration = AppDeclaration(
        api="saqshy.forecasts.api.urls",
        role_rules={"planner": (("*", "forecasts.*"),)},
        map_layers=(
            MapLayer(
                config="saqshy.forecasts.map.layer_config",
                scripts=("forecasts/map-forecast.js",),
                legend="forecasts/map_legend.html",
            ),
        ),
    )
