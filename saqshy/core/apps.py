from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "saqshy.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks

        from saqshy.core.audit import check_audit_key

        checks.register(check_audit_key, checks.Tags.security, deploy=True)
