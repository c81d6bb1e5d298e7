"""Protective security of crowded places: assessments by capacity tier, findings, CCTV cover."""

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class ProtectionConfig(registry.SaqshyAppConfig):
    name = "saqshy.protection"
    label = "protection"
    verbose_name = _("Protective security")
    declaration = AppDeclaration()
