"""Stored hotspot forecasts for the map and the patrol planner.

A :class:`HotspotForecast` is one fitted surface for a region; its :class:`HotspotCell` rows are
the cells with a positive score. Cells are rows, not one JSON blob, so the API and the patrol
planner take "the top N cells" or "the cells in this bounding box" with an indexed query
instead of loading and sorting every cell of a city in Python; a forecast of Astana is ~10⁴
small rows, written with one bulk insert. A forecast is derived data: it is created (audited)
and deleted whole, never edited cell by cell.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.core.models import BaseModel


class HotspotForecast(BaseModel):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="forecasts"
    )
    model_name = models.CharField(_("model"), max_length=40)
    cell_m = models.FloatField(_("cell size (m)"))
    crs = models.CharField(_("grid projection"), max_length=40)
    trained_until = models.DateField(_("trained until"))
    events = models.PositiveIntegerField(_("events used"), default=0)
    params = models.JSONField(_("chosen parameters"), default=dict, blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("hotspot forecast")
        verbose_name_plural = _("hotspot forecasts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region} · {self.model_name} · {self.trained_until}"


class HotspotCell(BaseModel):
    forecast = models.ForeignKey(
        HotspotForecast, verbose_name=_("forecast"), on_delete=models.CASCADE, related_name="cells"
    )
    cell = models.PositiveIntegerField(_("cell number"))
    lat = models.FloatField(_("centre latitude"))
    lon = models.FloatField(_("centre longitude"))
    score = models.FloatField(
        _("score"),
        help_text=_("Share of the region's forecast risk in this cell (all cells sum to 1)."),
    )
    slot_shares = models.JSONField(
        _("share per time slot"), default=list, help_text=_("Share of the score per slot.")
    )

    scope_region_field: ClassVar[str | None] = "forecast__region"

    class Meta:
        verbose_name = _("hotspot cell")
        verbose_name_plural = _("hotspot cells")
        ordering = ["-score", "cell"]
        indexes = [models.Index(fields=["forecast", "-score"], name="forecasts_cell_top")]
        constraints = [
            models.UniqueConstraint(fields=["forecast", "cell"], name="forecasts_cell_unique")
        ]

    def __str__(self) -> str:
        return f"{self.forecast_id}:{self.cell} {self.score:.3f}"
