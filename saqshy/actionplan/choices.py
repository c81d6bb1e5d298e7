"""The status of an action-plan measure; "overdue" is computed, never stored."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from saqshy.algorithms import plan_progress
from saqshy.core.choices import ChoiceSet


class MeasureStatus(ChoiceSet):
    PLANNED = plan_progress.PLANNED
    IN_PROGRESS = plan_progress.IN_PROGRESS
    DONE = plan_progress.DONE
    CANCELLED = plan_progress.CANCELLED

    CHOICES = [
        (PLANNED, _("planned"), "#6baed6"),
        (IN_PROGRESS, _("in progress"), "#fd8d3c"),
        (DONE, _("done"), "#31a354"),
        (CANCELLED, _("cancelled"), "#969696"),
    ]


MEASURE_STATUSES = MeasureStatus.choices()


class Assessment(ChoiceSet):
    """How a measure stands today (``algorithms.plan_progress.assess``)."""

    CHOICES = [
        (plan_progress.ON_TRACK, _("on track"), "#31a354"),
        (plan_progress.BEHIND, _("behind schedule"), "#fd8d3c"),
        (plan_progress.OVERDUE, _("overdue"), "#d7301f"),
        (plan_progress.NOT_STARTED, _("not started yet"), "#6baed6"),
        (plan_progress.REACHED, _("target reached"), "#238b45"),
        (plan_progress.UNMEASURED, _("no figure: status and evidence only"), "#969696"),
        (plan_progress.NO_TARGET, _("no target set"), "#969696"),
        (plan_progress.DONE, _("done"), "#31a354"),
        (plan_progress.CANCELLED, _("cancelled"), "#969696"),
    ]
