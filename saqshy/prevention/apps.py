from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class PreventionConfig(registry.SaqshyAppConfig):
    name = "saqshy.prevention"
    label = "prevention"
    verbose_name = _("Prevention campaigns and indicators")
    declaration = AppDeclaration(
        pages=(PageUrls("prevention/", "saqshy.prevention.urls"),),
        api="saqshy.prevention.api.urls",
        nav=(NavEntry(_("Campaigns"), "prevention:campaigns", 80, ("prevention",)),),
        role_rules={"inspector": (("*", "prevention.*"),)},
    )
