"""Protective security of crowded places: a checklist as data, assessments of venues by
capacity tier, and findings to put right by a deadline.

A venue's standing for its events is never typed by hand: ``queries.standing`` derives it
from these records (a completed assessment at the right tier, valid on the event's day, and
no open critical finding), and the event approval gate reads it.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.core.models import BaseModel, TranslatedNameMixin
from saqshy.facilities.models import Facility
from saqshy.protection.choices import (
    ANSWERS,
    ASSESSMENT_STATUSES,
    FINDING_STATUSES,
    SEVERITIES,
    TIERS,
    Answer,
    AssessmentStatus,
    FindingStatus,
    Measure,
    Severity,
    Tier,
)


class ChecklistItem(TranslatedNameMixin, BaseModel):
    """One protective-security measure an assessor checks (data: the secretariat edits it).

    ``tier`` is the lowest tier that requires it (an enhanced-tier item is not asked of a
    standard-tier venue); ``outdoor_only`` items apply only where events are held in the open;
    ``measure`` names items answered from the records (CCTV coverage, with ``min_share``).
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_kk = models.CharField(_("text (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("text (Russian)"), max_length=255)
    name_en = models.CharField(_("text (English)"), max_length=255)
    tier = models.CharField(_("required from tier"), max_length=10, choices=TIERS)
    outdoor_only = models.BooleanField(_("only for events in the open"), default=False)
    severity = models.CharField(_("severity when not met"), max_length=10, choices=SEVERITIES)
    days_to_fix = models.PositiveSmallIntegerField(_("days to put right"), default=30)
    measure = models.CharField(
        _("computed from"), max_length=20, choices=Measure.choices(), blank=True
    )
    min_share = models.FloatField(
        _("minimum share"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("For a computed item: the least share (0–1) that meets it."),
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("protective-security checklist item")
        verbose_name_plural = _("protective-security checklist items")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def critical(self) -> bool:
        return self.severity == Severity.CRITICAL

    def applies(self, tier: str, outdoor: bool) -> bool:
        return Tier.RANK[self.tier] <= Tier.RANK.get(tier, 0) and (outdoor or not self.outdoor_only)


class Assessment(BaseModel):
    """An assessor's check of one venue against the checklist of its tier."""

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        related_name="protection_assessments",
    )
    tier = models.CharField(_("tier"), max_length=10, choices=TIERS)
    outdoor = models.BooleanField(
        _("events in the open"),
        default=False,
        help_text=_("The venue hosts events in the open air (vehicle barriers are asked)."),
    )
    assessed_on = models.DateField(_("assessed on"))
    valid_until = models.DateField(_("valid until"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ASSESSMENT_STATUSES, default=AssessmentStatus.DRAFT
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    coverage_share = models.FloatField(
        _("CCTV coverage at completion"),
        null=True,
        blank=True,
        help_text=_("Share of the footprint watched by the venue's active cameras (0–1)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "facility__region"

    class Meta:
        verbose_name = _("protective-security assessment")
        verbose_name_plural = _("protective-security assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["facility", "status"], name="protection_facility_status")]

    def __str__(self) -> str:
        return f"{self.facility} · {self.assessed_on:%d.%m.%Y}"

    def current_on(self, day: dt.date) -> bool:
        return (
            self.status == AssessmentStatus.COMPLETED
            and self.assessed_on <= day <= self.valid_until
        )


class AssessmentAnswer(BaseModel):
    """The answer to one checklist item (a note says why it is not met or not applicable)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT
    )
    answer = models.CharField(_("answer"), max_length=16, choices=ANSWERS)
    note = models.CharField(_("note"), max_length=500, blank=True)

    scope_region_field: ClassVar[str | None] = "assessment__facility__region"

    class Meta:
        verbose_name = _("assessment answer")
        verbose_name_plural = _("assessment answers")
        ordering = ["item__order", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="protection_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {Answer.label(self.answer)}"


class Finding(BaseModel):
    """Something to put right by a deadline: open → fixed (who and when)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="findings"
    )
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        related_name="protection_findings",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    severity = models.CharField(_("severity"), max_length=10, choices=SEVERITIES)
    text = models.TextField(_("finding"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=FINDING_STATUSES, default=FindingStatus.OPEN
    )
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked fixed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fix_note = models.CharField(_("how it was fixed"), max_length=500, blank=True)

    scope_region_field: ClassVar[str | None] = "facility__region"

    class Meta:
        verbose_name = _("protective-security finding")
        verbose_name_plural = _("protective-security findings")
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["facility", "status"], name="protection_finding_status")]

    def __str__(self) -> str:
        return f"{Severity.label(self.severity)}: {self.text[:60]}"

    def overdue_on(self, day: dt.date) -> bool:
        return self.status == FindingStatus.OPEN and self.deadline < day
