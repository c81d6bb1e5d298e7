from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, PageUrls


class AccountsConfig(registry.SaqshyAppConfig):
    name = "saqshy.accounts"
    label = "accounts"
    verbose_name = _("Accounts and geography")
    declaration = AppDeclaration(
        pages=(PageUrls("accounts/", "saqshy.accounts.urls"),),
        api="saqshy.accounts.api.urls",
        reference_data=(
            "accounts.region",
            "accounts.district",
            "accounts.agency",
            "accounts.role",
            "accounts.norm",
        ),
        schema_enums={
            "AgencyKindEnum": "saqshy.accounts.choices.AGENCY_KINDS",
            "RegionKindEnum": "saqshy.accounts.choices.REGION_KINDS",
        },
        role_rules={
            "field-officer": (("view", "accounts.*"),),
            "trip-organiser": (("view", "accounts.*"),),
            "viewer": (("view", "accounts.*"),),
        },
    )

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import post_migrate

        from saqshy.accounts.norms import sync_norms_after_migrate
        from saqshy.accounts.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="saqshy-sync-roles")
        post_migrate.connect(sync_norms_after_migrate, dispatch_uid="saqshy-sync-norms")
