"""Device health: the maintenance tasks opened when a home alarm goes silent, runs low on
battery or reports tampering.

A task names the device and, through its installation, the household, but shows no personal
data by itself: region and district are copied so the health summary counts tasks without
reading households. At most one task of a kind is open per device (a partial unique
constraint), so a sweep or a handler that runs twice, or two that run at once, open one.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saqshy.alarms.health_choices import TASK_KINDS, TASK_STATUSES, TaskStatus
from saqshy.core.models import BaseModel


class MaintenanceTask(BaseModel):
    """Someone must visit a home alarm: it is offline, its battery is low, or it was tampered."""

    kind = models.CharField(_("kind"), max_length=16, choices=TASK_KINDS)
    device = models.ForeignKey(
        "ingest.Device",
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="maintenance_tasks",
    )
    household = models.ForeignKey(
        "alarms.Household",
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="maintenance_tasks",
    )
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="maintenance_tasks",
    )
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="maintenance_tasks",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=TASK_STATUSES, default=TaskStatus.OPEN
    )
    due = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("maintenance task")
        verbose_name_plural = _("maintenance tasks")
        ordering: ClassVar = ["status", "due", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["device", "kind"],
                condition=Q(status="open"),
                name="maintenance_task_one_open",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["region", "district", "status"], name="maintenance_task_summary"),
        ]

    def __str__(self) -> str:
        return f"{_('Maintenance task')} #{self.pk}"
