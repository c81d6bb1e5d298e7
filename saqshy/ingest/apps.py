from typing import Any

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration


class IngestConfig(registry.SaqshyAppConfig):
    name = "saqshy.ingest"
    label = "ingest"
    verbose_name = _("Device ingest")
    declaration = AppDeclaration(
        api="saqshy.ingest.api.urls",
        # Who watches devices sees them (the default roles already read everything; kept
        # explicit here so a narrower default does not hide the device list from them).
        role_rules={
            "planner": (("view", "ingest.device"),),
            "duty-officer": (("view", "ingest.device"),),
            "dispatcher": (("view", "ingest.device"),),
        },
        schema_enums={
            "DeviceKindEnum": "saqshy.ingest.choices.DEVICE_KINDS",
            "DeviceStatusEnum": "saqshy.ingest.choices.DEVICE_STATUSES",
        },
    )

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import post_migrate

        post_migrate.connect(
            _partitions_after_migrate, sender=self, dispatch_uid="saqshy-ingest-partitions"
        )


def _partitions_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """A fresh PostgreSQL database has this month's reading partitions before any consumer."""
    from saqshy.ingest import partitions

    partitions.ensure_partitions(using=using)
