"""Fire-safety inspections: checklists as data, inspections, violations and their lifecycle.

A facility's clearance for operation is never typed by hand: it is derived from these records
(``queries.clearance``): an inspection within the validity period and no major or critical
violation that is not yet verified as eliminated.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.core.models import BaseModel, TranslatedNameMixin
from saqshy.facilities.models import Facility
from saqshy.inspections.choices import Severity, ViolationStatus


class ChecklistItem(TranslatedNameMixin, BaseModel):
    """One thing an inspector checks (data, not code; regions may add their own)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_kk = models.CharField(_("text (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("text (Russian)"), max_length=255)
    name_en = models.CharField(_("text (English)"), max_length=255)
    severity = models.CharField(
        _("severity when failed"), max_length=10, choices=Severity.choices()
    )
    days_to_fix = models.PositiveSmallIntegerField(_("days to eliminate"), default=14)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.display_name


class Inspection(BaseModel):
    """A visit by an inspector to a facility, with a result per checklist item."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    inspected_on = models.DateField(_("date"))
    is_reinspection = models.BooleanField(_("re-inspection"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "facility__region"

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["facility", "inspected_on"], name="inspection_facility_date")
        ]

    def __str__(self) -> str:
        return f"{self.facility} · {self.inspected_on}"


class InspectionResult(BaseModel):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="results", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, verbose_name=_("checklist item")
    )
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    scope_region_field: ClassVar[str | None] = "inspection__facility__region"

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="result_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {'+' if self.passed else '-'}"


class Violation(BaseModel):
    """A failed check to put right by a deadline: open → eliminated → verified."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="violations"
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("found in inspection"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices())
    description = models.TextField(_("description"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ViolationStatus.choices(),
        default=ViolationStatus.OPEN,
    )
    eliminated_on = models.DateField(_("eliminated on"), null=True, blank=True)
    eliminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked eliminated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who reported the violation put right; empty for the facility or the system."),
    )
    verified_in = models.ForeignKey(
        Inspection,
        verbose_name=_("verified in re-inspection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verified_violations",
    )

    scope_region_field: ClassVar[str | None] = "facility__region"

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["facility", "status"], name="violation_facility_status")]

    def __str__(self) -> str:
        return f"{Severity.label(self.severity)}: {self.description[:60]}"

    @property
    def blocks_clearance(self) -> bool:
        return self.severity in Severity.BLOCKING and self.status != ViolationStatus.VERIFIED


def _photo_path(instance: Any, filename: str) -> str:
    # Never the uploaded name: it is the uploader's text, and the bytes are re-encoded anyway.
    return f"inspections/{instance.inspection_id}/{uuid.uuid4().hex}.jpg"


class InspectionPhoto(BaseModel):
    """Photo evidence of an inspection or of one of its violations.

    Stored under ``MEDIA_ROOT`` but never served from a public URL: the photo page checks the
    viewer's scope and audits the read. The bytes are a re-encoded JPEG (``photos.clean``), so
    no EXIF or GPS metadata of the phone survives.
    """

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="photos"
    )
    violation = models.ForeignKey(
        Violation,
        verbose_name=_("violation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = models.FileField(_("photo"), upload_to=_photo_path)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field: ClassVar[str | None] = "inspection__facility__region"

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.pk}"


class Briefing(BaseModel):
    """Fire-safety briefing or training of a facility's staff."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="briefings"
    )
    held_on = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants"))
    topic = models.CharField(_("topic"), max_length=255)
    conducted_by = models.CharField(_("conducted by"), max_length=150, blank=True)

    scope_region_field: ClassVar[str | None] = "facility__region"

    class Meta:
        verbose_name = _("staff briefing")
        verbose_name_plural = _("staff briefings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.facility} · {self.held_on} · {self.topic}"


class Drill(BaseModel):
    """An evacuation drill with its measured evacuation time against the venue's norm."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="drills"
    )
    held_on = models.DateField(_("date"))
    people_evacuated = models.PositiveIntegerField(_("people evacuated"))
    evacuation_seconds = models.PositiveIntegerField(_("measured evacuation time (s)"))
    norm_seconds = models.PositiveIntegerField(_("norm for the venue (s)"))
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "facility__region"

    class Meta:
        verbose_name = _("evacuation drill")
        verbose_name_plural = _("evacuation drills")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.facility} · {self.held_on}"

    @property
    def within_norm(self) -> bool:
        return self.evacuation_seconds <= self.norm_seconds
