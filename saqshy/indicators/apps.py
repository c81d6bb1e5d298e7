from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class IndicatorsConfig(registry.SaqshyAppConfig):
    name = "saqshy.indicators"
    label = "indicators"
    verbose_name = _("Indicators")
    # No models: the figures come from the other apps' declarations (core.indicators).
    declaration = AppDeclaration(
        pages=(PageUrls("indicators/", "saqshy.indicators.urls"),),
        api="saqshy.indicators.api",
        nav=(NavEntry(_("Indicators"), "indicators:national", 130, ("indicators",)),),
        roles=False,
    )
