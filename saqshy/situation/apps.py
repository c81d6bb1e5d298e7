from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class SituationConfig(registry.SaqshyAppConfig):
    name = "saqshy.situation"
    label = "situation"
    verbose_name = _("Situation")
    declaration = AppDeclaration(
        pages=(
            PageUrls("", "saqshy.situation.urls"),
            PageUrls("public/", "saqshy.situation.public_urls"),
        ),
        nav=(NavEntry(_("Situation map"), "situation:map", 10, ("situation",)),),
        roles=False,
    )

    def ready(self) -> None:
        super().ready()
        from saqshy.situation import signals

        signals.connect()
