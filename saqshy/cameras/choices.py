"""Choices of the cameras app: a crowd density's level against the norms."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class DensityLevel(ChoiceSet):
    """Where a density stands against the norms ``crowd_density_warning`` and
    ``crowd_density_critical`` (persons per m²); ``unknown`` when there is no recent reading
    or the camera has no watched area."""

    UNKNOWN = "unknown"
    NORMAL = "normal"
    WARNING = "warning"
    CRITICAL = "critical"

    CHOICES = [
        (UNKNOWN, _("No recent reading"), "#969696"),
        (NORMAL, _("Below the warning norm"), "#1a9850"),
        (WARNING, _("At or above the warning norm"), "#f0a202"),
        (CRITICAL, _("At or above the critical norm"), "#d73027"),
    ]


DENSITY_LEVELS = DensityLevel.choices()
