"""Duty: the people who staff posts and patrols, when they cannot, and the shifts they work."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, District, Region
from saqshy.core import messages
from saqshy.core.models import BaseModel
from saqshy.duty import names as _post_names  # noqa: F401  (defines the name codes)
from saqshy.duty import wording as _run_lines  # noqa: F401  (defines the plan run lines)
from saqshy.duty.choices import AbsenceKind, PlanKind, PlanStatus, PostKind, ReadinessLevel


class Person(BaseModel):
    """A member of an agency's personnel who can be put on a roster (officer, firefighter, crew).

    ``skills`` are short codes (e.g. ``"driver"``, ``"traffic"``, ``"escort"``, ``"electrician"``)
    that posts and trips ask for.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="personnel"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="personnel"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personnel",
        help_text=_("Home district: rosters prefer posts there."),
    )
    personnel_number = models.CharField(_("personnel number"), max_length=40)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    position = models.CharField(_("rank or position"), max_length=120, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(_("contracted hours per week"), default=40)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    active = models.BooleanField(_("active"), default=True)

    scope_region_field: ClassVar[str | None] = "region"
    scope_agency_field: ClassVar[str | None] = "agency"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personnel")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "personnel_number"], name="person_agency_number"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Absence(BaseModel):
    """A time a person cannot be rostered: leave, sickness, training."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=AbsenceKind.choices(), default=AbsenceKind.LEAVE
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    scope_region_field: ClassVar[str | None] = "person__region"
    scope_agency_field: ClassVar[str | None] = "person__agency"

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": [_("The end must be after the start.")]})


class Post(BaseModel):
    """A place and time window that must be staffed: a strategic facility 24/7, an event, a
    hotspot cell and hour, a highway segment, a utility site.

    What it needs is in its ``needs`` rows (people per hour by agency and skill).
    ``ends_at`` empty means open-ended (24/7 until further notice).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=PostKind.choices())
    name = models.CharField(_("name"), max_length=200)
    name_code = models.CharField(_("name code"), max_length=40, blank=True)
    name_params = models.JSONField(_("name parameters"), default=dict, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="posts"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("facility"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="posts",
    )
    gathering = models.ForeignKey(
        "gatherings.Gathering",
        verbose_name=_("mass event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="posts",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    derived_from = models.CharField(
        _("derived from"),
        max_length=60,
        blank=True,
        help_text=_(
            "Set on posts derived from the records by the norms (e.g. gathering:12); "
            "re-deriving updates them. Empty for posts made by hand."
        ),
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["starts_at", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "derived_from"],
                condition=~models.Q(derived_from=""),
                name="post_region_derived_from",
            )
        ]
        indexes = [models.Index(fields=["region", "starts_at"], name="post_region_start")]

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": [_("The end must be after the start.")]})

    @property
    def colour(self) -> str:
        return PostKind.colour(self.kind)

    @property
    def display_name(self) -> str:
        """A generated name in the active language; a name given by hand as written."""
        return messages.render(self.name_code, self.name_params, fallback=self.name)

    def __str__(self) -> str:
        return self.display_name


class PostNeed(BaseModel):
    """How many people of an agency (and a skill, if any) a post needs in every hour it runs."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="needs"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="post_needs"
    )
    skill = models.CharField(_("skill"), max_length=40, blank=True)
    people = models.PositiveSmallIntegerField(_("people per hour"), default=1)

    scope_region_field: ClassVar[str | None] = "post__region"

    class Meta:
        verbose_name = _("post need")
        verbose_name_plural = _("post needs")
        ordering = ["post", "agency", "skill"]

    def __str__(self) -> str:
        return f"{self.post}: {self.people} × {self.agency}"


class Shift(BaseModel):
    """One person's rostered time at one post (written by the roster planner or by hand)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="shifts"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="shifts"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    skill = models.CharField(_("serving as"), max_length=40, blank=True)
    plan_run = models.ForeignKey(
        "duty.PlanRun",
        verbose_name=_("written by the plan run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shifts",
        help_text=_("Empty for shifts made by hand: the planner keeps those."),
    )

    scope_region_field: ClassVar[str | None] = "post__region"
    scope_agency_field: ClassVar[str | None] = "person__agency"

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["person", "starts_at"], name="shift_person_start")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.post}"


class Readiness(BaseModel):
    """A readiness level in force for a region (and one agency, or all of them) over a window.

    What a level means (minimum staffing multiplier, share of personnel on call as reserve)
    is in the norms ``readiness_<level>_staffing`` and ``readiness_<level>_reserve``.
    ``ends_at`` empty means until further notice.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="readiness"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="readiness",
        help_text=_("Empty: every agency in the region."),
    )
    level = models.CharField(
        _("level"), max_length=12, choices=ReadinessLevel.choices(), default=ReadinessLevel.NORMAL
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Region only: an agency-specific level is visible to everyone in the region, and a
    # level for all agencies must not disappear for users whose grants name one agency.
    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("readiness level")
        verbose_name_plural = _("readiness levels")
        ordering = ["-starts_at", "id"]
        indexes = [
            models.Index(fields=["region", "starts_at"], name="readiness_region_start"),
            models.Index(fields=["ends_at"], name="readiness_end"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.region}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": [_("The end must be after the start.")]})
        if self.agency_id and self.agency and self.agency.region_id not in (None, self.region_id):
            raise ValidationError({"agency": [_("This agency works in another region.")]})

    @property
    def colour(self) -> str:
        return ReadinessLevel.colour(self.level)

    @property
    def rank(self) -> int:
        return ReadinessLevel.RANK.get(self.level, 0)


class PlanRun(BaseModel):
    """One run of the duty optimiser for a region (and one district, or all of them) over a
    window: requested by a planner, computed by a background task, with its progress and the
    solver's account of the result.

    ``gaps`` are spans of post-hours left short, as structured rows (post, agency, skill,
    hours, people needed and staffed, and why in numbers); the pages and the API build the
    translated sentence from them. ``changes`` (re-planning) lists the shifts added and
    removed. ``params`` holds what the kind needs (e.g. the sick person and the hour).
    """

    kind = models.CharField(
        _("kind"), max_length=12, choices=PlanKind.choices(), default=PlanKind.ROSTER
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="plan_runs"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_runs",
        help_text=_("Empty: every district of the region."),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices(), default=PlanStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    message_code = models.CharField(_("message code"), max_length=40, blank=True)
    message_params = models.JSONField(_("message parameters"), default=dict, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    time_limit_s = models.FloatField(_("solver time limit per district, s"), default=10.0)
    solver_status = models.CharField(_("solver status"), max_length=20, blank=True)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    best_bound = models.FloatField(_("best bound"), null=True, blank=True)
    gap = models.FloatField(_("optimality gap"), null=True, blank=True)
    wall_time_s = models.FloatField(_("solver time, s"), null=True, blank=True)
    coverage = models.FloatField(_("coverage"), null=True, blank=True)
    needed_hours = models.PositiveIntegerField(_("person-hours needed"), default=0)
    staffed_hours = models.PositiveIntegerField(_("person-hours staffed"), default=0)
    shift_count = models.PositiveIntegerField(_("shifts written"), default=0)
    gaps = models.JSONField(_("gaps"), default=list, blank=True)
    gap_spans = models.PositiveIntegerField(_("gap spans"), default=0)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("plan run")
        verbose_name_plural = _("plan runs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status"], name="planrun_region_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def display_message(self) -> str:
        """The progress or result line in the active language (stored as code + params;
        an older run's English line through the catalogue)."""
        if self.message_code:
            return messages.render(self.message_code, self.message_params, self.message)
        return gettext(self.message) if self.message else ""

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": [_("The end must be after the start.")]})
        if self.district_id and self.district and self.district.region_id != self.region_id:
            raise ValidationError({"district": [_("This district lies in another region.")]})

    @property
    def colour(self) -> str:
        return PlanStatus.colour(self.status)

    @property
    def finished(self) -> bool:
        return self.status in PlanStatus.FINISHED


class PatrolPlan(BaseModel):
    """Patrol stops for a region's units over one window (a night), from the hotspot forecast.

    ``seed`` is drawn fresh and secret per plan: the same seed rebuilds the same plan, another
    night gets another order.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="patrol_plans"
    )
    name = models.CharField(_("name"), max_length=200)
    name_code = models.CharField(_("name code"), max_length=40, blank=True)
    name_params = models.JSONField(_("name parameters"), default=dict, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length, minutes"), default=60)
    seed = models.BigIntegerField(_("seed"))
    forecast = models.ForeignKey(
        "forecasts.HotspotForecast",
        verbose_name=_("forecast"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrol_plans",
    )
    cells = models.PositiveSmallIntegerField(_("hotspot cells"), default=0)
    crews = models.PositiveSmallIntegerField(_("crews"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["-starts_at", "-id"]

    @property
    def display_name(self) -> str:
        """A generated name in the active language; a name given by hand as written."""
        return messages.render(self.name_code, self.name_params, fallback=self.name)

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": [_("The end must be after the start.")]})


class PatrolStop(BaseModel):
    """One stop of one crew: a hotspot cell from ``arrive_at`` to ``leave_at``."""

    plan = models.ForeignKey(
        PatrolPlan, verbose_name=_("patrol plan"), on_delete=models.CASCADE, related_name="stops"
    )
    crew = models.CharField(_("crew"), max_length=80)
    unit = models.ForeignKey(
        "incidents.Unit",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrol_stops",
    )
    cell = models.CharField(_("cell"), max_length=40)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    address = models.CharField(
        _("address"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("The nearest address when the plan was made; empty when none is known."),
    )
    risk = models.FloatField(_("risk score"), default=0.0)
    arrive_at = models.DateTimeField(_("arrive"))
    leave_at = models.DateTimeField(_("leave"))
    order = models.PositiveSmallIntegerField(_("order"))

    scope_region_field: ClassVar[str | None] = "plan__region"

    class Meta:
        verbose_name = _("patrol stop")
        verbose_name_plural = _("patrol stops")
        ordering = ["plan", "crew", "order"]
        indexes = [models.Index(fields=["plan", "crew", "order"], name="patrolstop_plan_crew")]

    def __str__(self) -> str:
        return f"{self.crew} #{self.order}"
