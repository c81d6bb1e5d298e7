"""Choice sets of device health: maintenance task kinds and their status."""

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class TaskKind(ChoiceSet):
    """Why someone must go to a home: the device is silent, its battery is low, or it was
    opened or moved."""

    VISIT = "visit"
    REPLACE_BATTERY = "replace_battery"
    TAMPER_CHECK = "tamper_check"

    CHOICES = [
        (VISIT, _("Visit: device offline"), "#d73027"),
        (REPLACE_BATTERY, _("Replace battery"), "#fdae61"),
        (TAMPER_CHECK, _("Tamper check"), "#7b3294"),
    ]


class TaskStatus(ChoiceSet):
    OPEN = "open"
    DONE = "done"

    CHOICES = [
        (OPEN, _("Open"), "#d73027"),
        (DONE, _("Done"), "#1a9850"),
    ]
    TRANSITIONS = {DONE: ((OPEN,), DONE)}


TASK_KINDS = TaskKind.choices()
TASK_STATUSES = TaskStatus.choices()
