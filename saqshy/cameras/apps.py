"""Cameras: registry, crowd density from video, and what they show near events and incidents."""

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class CamerasConfig(registry.SaqshyAppConfig):
    name = "saqshy.cameras"
    label = "cameras"
    verbose_name = _("Cameras")
    declaration = AppDeclaration(
        role_rules={
            "region-coordinator": (("*", "cameras.*"),),
            "viewer": (("view", "cameras.*"),),
        },
    )
