from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class OutreachConfig(registry.SaqshyAppConfig):
    name = "saqshy.outreach"
    label = "outreach"
    verbose_name = _("Outreach")
    declaration = AppDeclaration()
