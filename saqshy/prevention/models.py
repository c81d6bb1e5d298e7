"""Inspection campaigns: "inspect every facility of these kinds in this region by this date"."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.core.models import BaseModel


class Campaign(BaseModel):
    """A season's inspection drive; progress and the work queue are derived from records."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="campaigns"
    )
    facility_kinds = models.JSONField(
        _("facility kinds"), help_text=_("The kinds of facility to inspect.")
    )
    starts_on = models.DateField(_("starts"))
    deadline = models.DateField(_("deadline"))
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.name
