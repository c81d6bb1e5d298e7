from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "saqshy.situation"
    label = "situation"
    verbose_name = _("Situation")

    def ready(self) -> None:
        from saqshy.situation import signals

        signals.connect()
