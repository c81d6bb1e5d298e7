from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class AlertsConfig(registry.SaqshyAppConfig):
    name = "saqshy.alerts"
    label = "alerts"
    verbose_name = _("Alerts")
    declaration = AppDeclaration()
