from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "saqshy.accounts"
    label = "accounts"
    verbose_name = _("Accounts and geography")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from saqshy.accounts.norms import sync_norms_after_migrate
        from saqshy.accounts.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="saqshy-sync-roles")
        post_migrate.connect(sync_norms_after_migrate, dispatch_uid="saqshy-sync-norms")
