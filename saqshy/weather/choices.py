"""Choices of the weather app: what a warning warns of, how severe, where from, its state."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from saqshy.algorithms import road_weather
from saqshy.core.choices import ChoiceSet


class WarningKind(ChoiceSet):
    """The hazard (the kinds of ``algorithms.road_weather``)."""

    BLIZZARD = road_weather.BLIZZARD
    EXTREME_COLD = road_weather.EXTREME_COLD
    STORM_WIND = road_weather.STORM_WIND
    HEAVY_SNOW = road_weather.HEAVY_SNOW
    BLACK_ICE = road_weather.BLACK_ICE

    CHOICES = [
        (BLIZZARD, _("Blizzard"), "#4575b4"),
        (EXTREME_COLD, _("Extreme cold"), "#313695"),
        (STORM_WIND, _("Storm wind"), "#5e3c99"),
        (HEAVY_SNOW, _("Heavy snow"), "#74add1"),
        (BLACK_ICE, _("Black ice"), "#2c7fb8"),
    ]


class WarningLevel(ChoiceSet):
    """How severe, in the Meteoalarm colours."""

    YELLOW = road_weather.YELLOW
    ORANGE = road_weather.ORANGE
    RED = road_weather.RED

    CHOICES = [
        (YELLOW, _("Yellow: be aware"), "#ffd92f"),
        (ORANGE, _("Orange: be prepared"), "#fd8d3c"),
        (RED, _("Red: take action"), "#d73027"),
    ]


class WarningSource(ChoiceSet):
    RULE = "rule"
    MANUAL = "manual"

    CHOICES = [
        (RULE, _("Weather rules"), "#4393c3"),
        (MANUAL, _("Entered by hand"), "#969696"),
    ]


class WarningStatus(ChoiceSet):
    """A warning is proposed; the road authority confirms it (closing its segments) or
    dismisses it; a proposed warning whose time has passed expires."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    EXPIRED = "expired"

    CHOICES = [
        (PROPOSED, _("Proposed"), "#fdae61"),
        (CONFIRMED, _("Confirmed"), "#d73027"),
        (DISMISSED, _("Dismissed"), "#969696"),
        (EXPIRED, _("Expired"), "#bdbdbd"),
    ]
    TRANSITIONS = {
        "confirm": ((PROPOSED,), CONFIRMED),
        "dismiss": ((PROPOSED,), DISMISSED),
        "expire": ((PROPOSED,), EXPIRED),
    }


# Hazards for which a confirmed warning closes its segments, and the closure's reason.
CLOSURE_REASON = {
    WarningKind.BLIZZARD: "blizzard",
    WarningKind.EXTREME_COLD: "cold",
    WarningKind.STORM_WIND: "wind",
    WarningKind.HEAVY_SNOW: "blizzard",
    WarningKind.BLACK_ICE: "ice",
}

WARNING_KINDS = WarningKind.choices()
WARNING_LEVELS = WarningLevel.choices()
WARNING_SOURCES = WarningSource.choices()
WARNING_STATUSES = WarningStatus.choices()
