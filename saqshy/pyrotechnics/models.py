"""Pyrotechnics control: outlets that sell or store fireworks, raids on them, and seizures.

Over the holidays police and emergency services raid retail outlets and stores of
pyrotechnics. An outlet's certificate (licence) is the first thing checked: selling or storing
with an expired or missing certificate is flagged on the outlet. Raids visit outlets of their
own region and record a result per outlet; what is confiscated is recorded as a seizure with
one line per product, split into certified and uncertified goods.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.core.models import BaseModel, latitude_field, longitude_field
from saqshy.facilities.models import Facility
from saqshy.pyrotechnics.choices import OutletKind, RaidStatus, VisitResult


def expired_certificate_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Outlets whose certificate expired before ``today`` or was never recorded."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}certificate_expires__isnull": True}) | Q(
        **{f"{prefix}certificate_expires__lt": today}
    )


class Outlet(BaseModel):
    """A place where pyrotechnics are sold (retail) or kept (storage).

    Its location is given directly or taken from a linked facility; the region follows from
    the location. The certificate (or licence) number and its expiry are what a raid checks.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=OutletKind.choices())
    name = models.CharField(_("name"), max_length=255)
    operator = models.CharField(_("owner or operator"), max_length=255, blank=True)
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pyrotechnic_outlets",
        help_text=_("The mall, market or other facility the outlet is in, if any."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    lat = latitude_field()
    lon = longitude_field()
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="pyrotechnic_outlets",
    )
    certificate_number = models.CharField(
        _("certificate or licence number"), max_length=100, blank=True
    )
    certificate_expires = models.DateField(_("certificate expiry date"), null=True, blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Clear when the outlet no longer trades.")
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("pyrotechnics outlet")
        verbose_name_plural = _("pyrotechnics outlets")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["region", "kind"], name="pyro_outlet_region_kind"),
            models.Index(fields=["certificate_expires"], name="pyro_outlet_cert_expires"),
        ]

    def __str__(self) -> str:
        return self.name or f"{OutletKind.label(self.kind)} #{self.pk}"

    @property
    def certificate_expired(self) -> bool:
        """True when the certificate expired before today or none is recorded."""
        return self.certificate_expires is None or self.certificate_expires < timezone.localdate()

    @property
    def colour(self) -> str:
        return OutletKind.colour(self.kind)

    @property
    def kind_label(self) -> str:
        return str(OutletKind.label(self.kind))

    def map_feature(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "kind": self.kind,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "region": self.region_id,
            "colour": self.colour,
            "certificate_expired": self.certificate_expired,
        }


class Raid(BaseModel):
    """A planned check of pyrotechnics outlets in one region by one team."""

    planned_on = models.DateField(_("planned date"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="pyrotechnic_raids"
    )
    team = models.CharField(
        _("team"), max_length=255, blank=True, help_text=_("Who goes: names, units, vehicles.")
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pyrotechnic_raids",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RaidStatus.choices(), default=RaidStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("raid")
        verbose_name_plural = _("raids")
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(fields=["region", "status", "planned_on"], name="pyro_raid_region_status"),
        ]

    def __str__(self) -> str:
        return f"{_('Raid')} #{self.pk} · {self.planned_on}"

    @property
    def status_label(self) -> str:
        return str(RaidStatus.label(self.status))

    @property
    def colour(self) -> str:
        return RaidStatus.colour(self.status)


class RaidVisit(BaseModel):
    """One outlet on a raid's route, and what the raid found there."""

    raid = models.ForeignKey(
        Raid, verbose_name=_("raid"), on_delete=models.CASCADE, related_name="visits"
    )
    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="visits"
    )
    result = models.CharField(
        _("result"), max_length=10, choices=VisitResult.choices(), default=VisitResult.PENDING
    )
    note = models.TextField(_("note"), blank=True)

    scope_region_field: ClassVar[str | None] = "raid__region"

    class Meta:
        verbose_name = _("raid visit")
        verbose_name_plural = _("raid visits")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["raid", "outlet"], name="pyro_visit_raid_outlet_unique")
        ]

    def __str__(self) -> str:
        return f"{self.raid} · {self.outlet}"

    @property
    def result_label(self) -> str:
        return str(VisitResult.label(self.result))

    @property
    def colour(self) -> str:
        return VisitResult.colour(self.result)

    def clean(self) -> None:
        super().clean()
        if self.raid_id and self.outlet_id and self.outlet.region_id != self.raid.region_id:
            raise ValidationError({"outlet": _("The outlet lies in another region than the raid.")})


class Seizure(BaseModel):
    """Pyrotechnics confiscated at one outlet on one day, possibly during a raid."""

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="seizures"
    )
    raid = models.ForeignKey(
        Raid,
        verbose_name=_("raid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seizures",
    )
    seized_on = models.DateField(_("date seized"))
    notes = models.TextField(_("notes"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="pyrotechnic_seizures",
        help_text=_("The outlet's region."),
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("seizure")
        verbose_name_plural = _("seizures")
        ordering = ["-seized_on", "-id"]
        indexes = [models.Index(fields=["region", "seized_on"], name="pyro_seizure_region_date")]

    def __str__(self) -> str:
        return f"{_('Seizure')} #{self.pk} · {self.seized_on}"

    def clean(self) -> None:
        super().clean()
        raid = self.raid if self.raid_id else None
        if raid is not None and self.outlet_id and raid.region_id != self.outlet.region_id:
            raise ValidationError({"raid": _("The raid was in another region than the outlet.")})

    def line_totals(self) -> dict[str, int]:
        """Units and boxes, certified and not, over this seizure's lines."""
        totals = dict.fromkeys(
            ("units_certified", "units_uncertified", "boxes_certified", "boxes_uncertified"), 0
        )
        for line in self.lines.all():
            suffix = "certified" if line.certified else "uncertified"
            totals[f"units_{suffix}"] += line.units
            totals[f"boxes_{suffix}"] += line.boxes
        return totals


class SeizureLine(BaseModel):
    """One product within a seizure: how many units and boxes, and whether certified."""

    seizure = models.ForeignKey(
        Seizure, verbose_name=_("seizure"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.CharField(_("product name"), max_length=255)
    certified = models.BooleanField(
        _("certified"), default=False, help_text=_("The product has a conformity certificate.")
    )
    units = models.PositiveIntegerField(_("units"), default=0)
    boxes = models.PositiveIntegerField(_("boxes"), default=0)

    scope_region_field: ClassVar[str | None] = "seizure__region"

    class Meta:
        verbose_name = _("seizure line")
        verbose_name_plural = _("seizure lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.product

    def clean(self) -> None:
        super().clean()
        if not self.units and not self.boxes:
            raise ValidationError({"units": _("Give a number of units or of boxes.")})
