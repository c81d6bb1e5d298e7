from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class WinterConfig(registry.SaqshyAppConfig):
    name = "saqshy.winter"
    label = "winter"
    verbose_name = _("Winter")
    declaration = AppDeclaration()
