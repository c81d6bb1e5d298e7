from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class WeatherConfig(registry.SaqshyAppConfig):
    name = "saqshy.weather"
    label = "weather"
    verbose_name = _("Weather warnings")
    declaration = AppDeclaration(
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
        },
        schema_enums={
            "WarningKindEnum": "saqshy.weather.choices.WARNING_KINDS",
            "WarningLevelEnum": "saqshy.weather.choices.WARNING_LEVELS",
            "WarningSourceEnum": "saqshy.weather.choices.WARNING_SOURCES",
            "WarningStatusEnum": "saqshy.weather.choices.WARNING_STATUSES",
        },
    )
