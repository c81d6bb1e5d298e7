from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class LifelinesConfig(registry.SaqshyAppConfig):
    name = "saqshy.lifelines"
    label = "lifelines"
    verbose_name = _("Lifelines: heating, water, power")
    declaration = AppDeclaration()
