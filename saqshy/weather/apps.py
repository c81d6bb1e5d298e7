from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "weather_warnings",
        _("Weather warnings"),
        _("control of highways, warming points, special equipment and aviation on standby"),
        _(
            "Weather warnings (blizzard, extreme cold, storm wind, heavy snow, black ice) "
            "whose time starts in the period, dismissed ones left out."
        ),
        "weather.weatherwarning",
        "saqshy.weather.indicators.weather_warnings",
        unit="count",
        higher_is_better=False,
        order=85,
    ),
)


class WeatherConfig(registry.SaqshyAppConfig):
    name = "saqshy.weather"
    label = "weather"
    verbose_name = _("Weather warnings")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        map_layers=(
            MapLayer(
                config="saqshy.weather.map.layer_config",
                scripts=("weather/map-weather.js",),
                legend="weather/map_legend.html",
            ),
        ),
        pages=(PageUrls("weather/", "saqshy.weather.urls"),),
        api="saqshy.weather.api.urls",
        nav=(
            NavEntry(
                _("Weather warnings"), "weather:list", 118, ("weather",), "weather.weatherwarning"
            ),
        ),
        # Dispatchers enter warnings by hand; confirming one closes road segments, which the
        # road authority decides (the roads app's change grant, checked in the services).
        role_rules={
            "planner": (("*", "weather.*"),),
            "dispatcher": (
                ("view", "weather.*"),
                ("add", "weather.weatherwarning"),
                ("change", "weather.weatherwarning"),
            ),
            "viewer": (("view", "weather.*"),),
            # A duty officer enters warnings and, where the roads allow it, confirms closures.
            "duty-officer": (
                ("add", "weather.weatherwarning"),
                ("change", "weather.weatherwarning"),
            ),
        },
        schema_enums={
            "WarningKindEnum": "saqshy.weather.choices.WARNING_KINDS",
            "WarningLevelEnum": "saqshy.weather.choices.WARNING_LEVELS",
            "WarningSourceEnum": "saqshy.weather.choices.WARNING_SOURCES",
            "WarningStatusEnum": "saqshy.weather.choices.WARNING_STATUSES",
        },
    )

    def ready(self) -> None:
        super().ready()
        from saqshy.weather.queries import warning_facts
        from saqshy.winter.queries import register_warnings

        # Active warnings make the winter standby rules ask for ploughs, tow trucks and aviation.
        register_warnings(warning_facts)
