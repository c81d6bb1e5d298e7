from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class CoreConfig(registry.SaqshyAppConfig):
    name = "saqshy.core"
    label = "core"
    verbose_name = _("Core")
    declaration = AppDeclaration(api="saqshy.core.api.urls")

    def ready(self) -> None:
        super().ready()
        from django.core import checks
        from django.db.backends.signals import connection_created

        from saqshy.core import readcache
        from saqshy.core.audit import check_audit_key

        checks.register(check_audit_key, checks.Tags.security, deploy=True)
        connection_created.connect(readcache.install, dispatch_uid="saqshy-read-cache")
