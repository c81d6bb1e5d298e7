from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class AlarmsConfig(registry.SaqshyAppConfig):
    name = "saqshy.alarms"
    label = "alarms"
    verbose_name = _("Home fire alarms")
    declaration = AppDeclaration()
