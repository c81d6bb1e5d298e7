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
