from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class WeatherConfig(registry.SaqshyAppConfig):
    name = "saqshy.weather"
    label = "weather"
    verbose_name = _("Weather warnings")
    declaration = AppDeclaration()
