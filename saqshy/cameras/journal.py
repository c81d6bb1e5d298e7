"""The incident journal lines the camera services write (``core.messages`` codes).

They name the camera and the density, never a person: an incident's journal is read by every
role that sees the incident.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from saqshy.core import messages

OPENED = messages.define(
    "cameras.density_opened",
    gettext_lazy(
        "Camera %(camera)s: crowd density %(density)s persons/m² (%(count)s people on "
        "%(area)s m²), at or above the critical norm of %(critical)s persons/m²."
    ),
)
PEAK = messages.define(
    "cameras.density_peak",
    gettext_lazy(
        "Camera %(camera)s: crowd density rose to %(density)s persons/m² (%(count)s people)."
    ),
)
AGAIN = messages.define(
    "cameras.density_again",
    gettext_lazy(
        "Camera %(camera)s: crowd density back at or above the critical norm, %(density)s "
        "persons/m²; joined this incident."
    ),
)
SNAPSHOT = messages.define(
    "cameras.snapshot",
    gettext_lazy("A still image from camera %(camera)s was kept with this incident."),
)
