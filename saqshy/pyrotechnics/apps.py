from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PyrotechnicsConfig(AppConfig):
    name = "saqshy.pyrotechnics"
    label = "pyrotechnics"
    verbose_name = _("Pyrotechnics control")
