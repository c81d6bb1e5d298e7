"""Awareness campaigns and parent meetings at schools, the two halves of the season's outreach."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Agency, District, Region
from saqshy.core.models import BaseModel
from saqshy.facilities.choices import FacilityKind
from saqshy.facilities.models import Facility
from saqshy.outreach.choices import Audience, CampaignStatus, Channel, Topic

MAX_MATERIALS = 20


def material_errors(materials: Any) -> list[str]:
    """A campaign's materials are links (``http://`` or ``https://``) to files or pages."""
    if not isinstance(materials, list):
        return [gettext("Give a list of links.")]
    if len(materials) > MAX_MATERIALS:
        return [gettext("At most %(n)s links.") % {"n": MAX_MATERIALS}]
    for number, link in enumerate(materials, start=1):
        if (
            not isinstance(link, str)
            or not link.lower().startswith(("http://", "https://"))
            or len(link) > 500
            or any(c.isspace() for c in link)
        ):
            return [
                gettext("Link %(n)s must be a web address starting with https://.") % {"n": number}
            ]
    return []


def topic_errors(topics: Any) -> list[str]:
    if not isinstance(topics, list) or not topics:
        return [gettext("Choose at least one topic.")]
    known = Topic.values()
    if any(topic not in known for topic in topics) or len(set(topics)) != len(topics):
        return [gettext("Each topic must be one of: %(topics)s.") % {"topics": ", ".join(known)}]
    return []


class Campaign(BaseModel):
    """A public-awareness campaign: a topic told to an audience through a channel, in a region
    (optionally some of its districts) over a period, with the reach planned and achieved."""

    title = models.CharField(_("title"), max_length=200)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices())
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices())
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices())
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="outreach_campaigns",
    )
    districts = models.ManyToManyField(
        District,
        verbose_name=_("districts"),
        blank=True,
        related_name="outreach_campaigns",
        help_text=_("Leave empty for the whole region."),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    planned_reach = models.PositiveIntegerField(_("planned reach (people)"), default=0)
    reached = models.PositiveIntegerField(_("reached (people)"), default=0)
    materials = models.JSONField(_("materials (links)"), default=list, blank=True)
    owner = models.ForeignKey(
        Agency,
        verbose_name=_("owner agency"),
        on_delete=models.PROTECT,
        related_name="outreach_campaigns",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices(),
        default=CampaignStatus.PLANNED,
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("awareness campaign")
        verbose_name_plural = _("awareness campaigns")
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["region", "starts_on"], name="outreach_campaign_region")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the reader's language where one is given."""
        language = (get_language() or "")[:2]
        own = getattr(self, f"title_{language}", "") if language in ("kk", "ru") else ""
        return str(own or self.title)

    @property
    def colour(self) -> str:
        return CampaignStatus.colour(self.status)

    @property
    def reach_percent(self) -> int | None:
        if not self.planned_reach:
            return None
        return round(100 * self.reached / self.planned_reach)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = [gettext("The end must not be before the start.")]
        problems = material_errors(self.materials)
        if problems:
            errors["materials"] = problems
        if errors:
            raise ValidationError(errors)


class ParentMeeting(BaseModel):
    """A parent meeting held at a school about the children's safety over the holidays; its
    region and district follow the school."""

    school = models.ForeignKey(
        Facility,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="parent_meetings",
        limit_choices_to={"kind": FacilityKind.SCHOOL},
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="parent_meetings",
        help_text=_("Follows the school."),
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parent_meetings",
        help_text=_("Follows the school."),
    )
    held_on = models.DateField(_("date"))
    attendees = models.PositiveIntegerField(_("parents attending"))
    grade = models.CharField(_("class or grade"), max_length=40, blank=True)
    topics = models.JSONField(_("topics"), default=list)
    held_by_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parent_meetings",
    )
    held_by = models.CharField(_("held by"), max_length=200, blank=True)
    notes = models.TextField(_("minutes and notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("parent meeting")
        verbose_name_plural = _("parent meetings")
        ordering = ["-held_on", "id"]
        indexes = [models.Index(fields=["region", "held_on"], name="outreach_meeting_region")]

    def __str__(self) -> str:
        return f"{self.school} {self.held_on:%d.%m.%Y}" if self.held_on else str(self.school)

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic.label(topic)) for topic in self.topics or []]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        problems = topic_errors(self.topics)
        if problems:
            errors["topics"] = problems
        if self.school_id and self.school.kind != FacilityKind.SCHOOL:
            errors["school"] = [gettext("Choose a school.")]
        if errors:
            raise ValidationError(errors)
