"""The measures of the action plan: who does what by when, and what proves it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, Region
from saqshy.actionplan.choices import MeasureStatus
from saqshy.algorithms import plan_progress
from saqshy.core.models import BaseModel

CODE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$"


def validate_link(value: str) -> None:
    """A web address (http or https) or a path inside Saqshy starting with "/"."""
    if not value:
        return
    if value.startswith("//") or not (
        value.startswith(("http://", "https://")) or value.startswith("/")
    ):
        raise ValidationError(
            _('Give a web address (http:// or https://) or a path in Saqshy starting with "/".'),
            code="link",
        )
    if any(ch.isspace() for ch in value):
        raise ValidationError(_("A link may not contain spaces."), code="link")


def _evidence_path(instance: Measure, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"actionplan/{uuid.uuid4().hex}.{ext}"


class Measure(BaseModel):
    """One measure of the plan. National: every signed-in user with a role reads it, the
    commission's secretariat changes it. "Overdue" is computed from the deadline."""

    code = models.CharField(
        _("number"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(CODE_PATTERN)],
        help_text=_('The measure\'s number in the plan, e.g. "1.4".'),
    )
    position = models.PositiveIntegerField(_("position in the plan"), default=0)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    brief_line = models.TextField(_("line of the brief"))
    owner = models.ForeignKey(
        Agency, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    co_executors = models.ManyToManyField(
        Agency, verbose_name=_("co-executors"), blank=True, related_name="+"
    )
    starts_on = models.DateField(_("period start"))
    deadline = models.DateField(_("deadline"))
    indicator_code = models.SlugField(
        _("indicator"),
        max_length=60,
        blank=True,
        help_text=_("The figure that proves the measure; empty when none is computed."),
    )
    national_target = models.FloatField(
        _("national target"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("A count, or a percent for a share."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MeasureStatus.choices(),
        default=MeasureStatus.PLANNED,
    )
    evidence_file = models.FileField(
        _("evidence file"), upload_to=_evidence_path, blank=True, max_length=200
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    evidence_link = models.CharField(
        _("evidence link"),
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text=_('A web address, or a path to the records in Saqshy starting with "/".'),
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.deadline and self.deadline < self.starts_on:
            raise ValidationError({"deadline": [_("The deadline lies before the period start.")]})

    @property
    def title(self) -> str:
        language = (get_language() or "en")[:2]
        own = getattr(self, f"title_{language}", "")
        return str(own or self.title_en or self.title_ru or self.title_kk)

    def is_overdue(self, today: dt.date) -> bool:
        return plan_progress.is_overdue(self.status, self.deadline, today)

    @property
    def colour(self) -> str:
        return MeasureStatus.colour(self.status)

    def as_feature(self) -> dict[str, Any]:
        return {"id": self.pk, "code": self.code, "status": self.status}


class MeasureTarget(BaseModel):
    """A region's own target for a measure (the plan may set one per region)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="targets"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.FloatField(_("target"), validators=[MinValueValidator(0)])

    scope_region_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("regional target")
        verbose_name_plural = _("regional targets")
        ordering = ["measure", "region"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "region"], name="measure_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}/{self.region_id}: {self.target:g}"
