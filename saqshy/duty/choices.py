from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class AbsenceKind(ChoiceSet):
    LEAVE = "leave"
    SICK = "sick"
    TRAINING = "training"
    OTHER = "other"

    CHOICES = [
        (LEAVE, _("Leave"), "#74add1"),
        (SICK, _("Sick"), "#d73027"),
        (TRAINING, _("Training"), "#fdae61"),
        (OTHER, _("Other absence"), "#969696"),
    ]


class PostKind(ChoiceSet):
    STRATEGIC = "strategic"
    EVENT = "event"
    HOTSPOT = "hotspot"
    HIGHWAY = "highway"
    UTILITY = "utility"
    OTHER = "other"

    CHOICES = [
        (STRATEGIC, _("Strategic facility (24/7)"), "#08306b"),
        (EVENT, _("Mass event"), "#d73027"),
        (HOTSPOT, _("Hotspot"), "#fd8d3c"),
        (HIGHWAY, _("Highway segment"), "#6a51a3"),
        (UTILITY, _("Utility site"), "#8c510a"),
        (OTHER, _("Other post"), "#969696"),
    ]


class ReadinessLevel(ChoiceSet):
    """How ready an agency's forces in a region must be; the norms say what each level means."""

    NORMAL = "normal"
    ENHANCED = "enhanced"
    HIGH_ALERT = "high_alert"

    CHOICES = [
        (NORMAL, _("Normal duty"), "#31a354"),
        (ENHANCED, _("Enhanced duty"), "#fd8d3c"),
        (HIGH_ALERT, _("High alert"), "#d7301f"),
    ]

    RANK: ClassVar[dict[str, int]] = {NORMAL: 0, ENHANCED: 1, HIGH_ALERT: 2}


class PlanKind(ChoiceSet):
    """What a plan run computes."""

    STAFFING = "staffing"
    ROSTER = "roster"
    REPLAN = "replan"
    PATROL = "patrol"

    CHOICES = [
        (STAFFING, _("Staffing per post and hour"), "#6baed6"),
        (ROSTER, _("Roster"), "#2171b5"),
        (REPLAN, _("Re-plan"), "#fd8d3c"),
        (PATROL, _("Patrol plan"), "#41ab5d"),
    ]


class PlanStatus(ChoiceSet):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    CHOICES = [
        (QUEUED, _("Queued"), "#969696"),
        (RUNNING, _("Running"), "#fd8d3c"),
        (DONE, _("Done"), "#31a354"),
        (FAILED, _("Failed"), "#d73027"),
    ]

    FINISHED: ClassVar[tuple[str, ...]] = (DONE, FAILED)
