from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class IngestConfig(registry.SaqshyAppConfig):
    name = "saqshy.ingest"
    label = "ingest"
    verbose_name = _("Device ingest")
    declaration = AppDeclaration()
