"""Admin pages (superusers): devices, with the HTTPS signing key write-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from saqshy.core.admin_audit import AuditedModelAdmin
from saqshy.ingest.models import Device


class DeviceForm(forms.ModelForm):
    """The key is never shown back; an empty field keeps the stored key."""

    hmac_key = forms.CharField(
        label=_("HTTPS signing key"),
        required=False,
        max_length=64,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Write a new key to replace it; leave empty to keep the current one."),
    )

    class Meta:
        model = Device
        fields = [
            "serial",
            "kind",
            "region",
            "district",
            "model",
            "firmware",
            "lat",
            "lon",
            "hmac_key",
        ]

    def clean_hmac_key(self) -> str:
        given: str = self.cleaned_data.get("hmac_key") or ""
        if not given and self.instance.pk:
            return self.instance.hmac_key
        return given


@admin.register(Device)
class DeviceAdmin(AuditedModelAdmin):
    form = DeviceForm
    list_display = [
        "serial",
        "kind",
        "region",
        "district",
        "status",
        "last_heartbeat",
        "battery_low",
    ]
    list_filter = ["kind", "status", "region", "battery_low"]
    search_fields = ["serial", "model"]
    readonly_fields = ["status", "last_heartbeat", "last_message_at", "battery_low"]
    raw_id_fields = ["district"]
