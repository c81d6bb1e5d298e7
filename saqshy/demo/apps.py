from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class DemoConfig(registry.SaqshyAppConfig):
    name = "saqshy.demo"
    label = "demo"
    verbose_name = _("Demo")
    declaration = AppDeclaration(roles=False)
