"""Fire equipment: hydrants in the street and the equipment kept at each facility.

Before the holidays inspectors check hydrants (is there water and pressure, can a fire engine
reach it) and each venue's extinguishers, alarm and sprinkler systems. A hydrant's or an
item's current state (``operable`` / ``in_order`` and ``last_checked_on``) is never typed by
hand on the pages or in the API: it follows from its newest recorded check.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.core.models import BaseModel, latitude_field, longitude_field
from saqshy.equipment.choices import EquipmentKind, HydrantKind
from saqshy.facilities.models import Facility


class Hydrant(BaseModel):
    """A fire hydrant or fire water tank; its region follows from its location."""

    code = models.CharField(
        _("code or number"),
        max_length=40,
        help_text=_("The number painted on the hydrant's sign, unique within the region."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=HydrantKind.choices())
    lat = latitude_field()
    lon = longitude_field()
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="hydrants"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    operable = models.BooleanField(_("operable"), default=True)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("hydrant")
        verbose_name_plural = _("hydrants")
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="hydrant_code_per_region")
        ]
        indexes = [
            models.Index(fields=["operable", "lat", "lon"], name="hydrant_operable_lat_lon"),
            models.Index(fields=["region", "kind"], name="hydrant_region_kind"),
        ]

    def __str__(self) -> str:
        return f"{HydrantKind.label(self.kind)} {self.code}"

    @property
    def colour(self) -> str:
        return HydrantKind.colour(self.kind)

    @property
    def kind_label(self) -> str:
        return str(HydrantKind.label(self.kind))

    def map_feature(self) -> dict[str, Any]:
        """What a map needs to draw this hydrant (also the live-push payload)."""
        return {
            "id": self.pk,
            "code": self.code,
            "kind": self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "region": self.region_id,
            "operable": self.operable,
            "colour": self.colour,
        }


class HydrantCheck(BaseModel):
    """One check of a hydrant on site; the newest check sets the hydrant's state."""

    hydrant = models.ForeignKey(
        Hydrant, verbose_name=_("hydrant"), on_delete=models.CASCADE, related_name="checks"
    )
    checked_on = models.DateField(_("checked on"))
    operable = models.BooleanField(_("operable"))
    pressure_ok = models.BooleanField(_("pressure sufficient"), null=True, blank=True)
    access_clear = models.BooleanField(
        _("access clear"),
        null=True,
        blank=True,
        help_text=_("A fire engine can reach it: not blocked by snow, cars or fences."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field: ClassVar[str | None] = "hydrant__region"

    class Meta:
        verbose_name = _("hydrant check")
        verbose_name_plural = _("hydrant checks")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["hydrant", "checked_on"], name="hydrantcheck_hydrant_date")]

    def __str__(self) -> str:
        return f"{self.hydrant} · {self.checked_on}"


class FacilityEquipment(BaseModel):
    """Fire-protection equipment of one kind at a facility (e.g. 12 extinguishers)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="equipment"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EquipmentKind.choices())
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    model_name = models.CharField(_("make and model"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    next_check_due = models.DateField(_("next check due"), null=True, blank=True)
    in_order = models.BooleanField(_("in working order"), default=True)

    scope_region_field: ClassVar[str | None] = "facility__region"

    class Meta:
        verbose_name = _("facility fire equipment")
        verbose_name_plural = _("facility fire equipment")
        ordering = ["facility", "kind", "id"]
        indexes = [
            models.Index(fields=["facility", "kind"], name="equipment_facility_kind"),
            models.Index(fields=["next_check_due"], name="equipment_next_check_due"),
        ]

    def __str__(self) -> str:
        return f"{EquipmentKind.label(self.kind)} × {self.quantity} · {self.facility}"

    @property
    def colour(self) -> str:
        return EquipmentKind.colour(self.kind)

    @property
    def kind_label(self) -> str:
        return str(EquipmentKind.label(self.kind))

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """The planned check date has passed."""
        if self.next_check_due is None:
            return False
        return self.next_check_due < (today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class EquipmentCheck(BaseModel):
    """One check of a facility's equipment; the newest check sets the equipment's state."""

    equipment = models.ForeignKey(
        FacilityEquipment,
        verbose_name=_("equipment"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    checked_on = models.DateField(_("checked on"))
    in_order = models.BooleanField(_("in working order"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field: ClassVar[str | None] = "equipment__facility__region"

    class Meta:
        verbose_name = _("equipment check")
        verbose_name_plural = _("equipment checks")
        ordering = ["-checked_on", "-id"]
        indexes = [
            models.Index(fields=["equipment", "checked_on"], name="equipmentcheck_item_date")
        ]

    def __str__(self) -> str:
        return f"{self.equipment} · {self.checked_on}"
