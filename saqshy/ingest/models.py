"""Devices and what they send.

``Device`` is the registry every stream shares (home fire alarms, utility-site telemetry
gateways, cameras): a record with region scope, audited like any other. What devices *send*
is not audited row by row: ``DeviceMessage`` keeps every device event exactly once (unique by
device and the device's message id) and ``Reading`` is the time series of telemetry values.
Decisions taken from them (an alarm raised, a device declared offline, an outage opened) go
through the owning app's services, with audit and live push.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.core.models import BaseModel, latitude_field, longitude_field
from saqshy.ingest.choices import DEVICE_KINDS, DEVICE_STATUSES, MESSAGE_KINDS, DeviceStatus


class Device(BaseModel):
    """One thing that sends messages; ``serial`` is the ``{device}`` (or ``{site}``) in topics."""

    serial = models.CharField(_("device id"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DEVICE_KINDS)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    model = models.CharField(_("model"), max_length=64, blank=True)
    firmware = models.CharField(_("firmware"), max_length=32, blank=True)
    lat = latitude_field(null=True, blank=True)
    lon = longitude_field(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DEVICE_STATUSES, default=DeviceStatus.NEW
    )
    last_heartbeat = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    battery_low = models.BooleanField(_("battery low"), default=False)
    hmac_key = models.CharField(
        _("HTTPS signing key"),
        max_length=64,
        blank=True,
        help_text=_("Shared secret of a device that posts over HTTPS instead of MQTT."),
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering: ClassVar = ["serial"]
        indexes: ClassVar = [
            # Not on the last-heard times: a heartbeat's UPDATE then touches no index, so
            # PostgreSQL updates the row in place (HOT) instead of writing every index again.
            models.Index(fields=["kind", "status"], name="device_health"),
            models.Index(fields=["region", "kind", "status"], name="device_region"),
        ]

    def __str__(self) -> str:
        return self.serial


class DeviceMessage(models.Model):
    """A device event (alarm, heartbeat, battery low, tamper, test, restored), stored once.

    Written in batches by the ingest consumer before it acknowledges the broker; ``handled_by``
    is claimed by compare-and-set before the event's handlers run (``claimed_at`` says when,
    so the rows of a worker that died are taken back), ``handled_at`` set after. ``attempts``
    counts handler failures; past the limit the row is marked ``handled_by="!failed"``.
    """

    id = models.BigAutoField(primary_key=True)
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="messages")
    message_id = models.CharField(_("message id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=MESSAGE_KINDS)
    device_time = models.DateTimeField(_("device time"))
    received_at = models.DateTimeField(_("received"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    handled_by = models.CharField(max_length=96, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("device message")
        verbose_name_plural = _("device messages")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["device", "message_id"], name="device_message_once")
        ]
        indexes: ClassVar = [
            models.Index(fields=["handled_at", "kind"], name="device_message_todo"),
            models.Index(fields=["received_at"], name="device_message_age"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"


class Reading(models.Model):
    """One telemetry value of a site (``saqshy/telemetry/{site}/{parameter}``).

    A time series, kept for the retention period; on PostgreSQL the table is partitioned by
    month of ``at`` so old months are dropped whole.
    """

    id = models.BigAutoField(primary_key=True)
    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, related_name="readings", db_constraint=False
    )
    parameter = models.CharField(_("parameter"), max_length=32)
    at = models.DateTimeField(_("measured at"))
    value = models.FloatField(_("value"))
    message_id = models.CharField(_("message id"), max_length=64)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["device", "message_id", "at"], name="reading_once")
        ]
        indexes: ClassVar = [
            models.Index(fields=["device", "parameter", "at"], name="reading_series"),
        ]

    def __str__(self) -> str:
        return f"{self.parameter}={self.value}"
