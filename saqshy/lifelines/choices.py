"""Choices of the lifelines app: site kinds, alert and outage states."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class SiteKind(ChoiceSet):
    """What a utility site is, derived from its facility kind and OSM tags."""

    BOILER_HOUSE = "boiler_house"
    HEAT_PLANT = "heat_plant"
    SUBSTATION = "substation"
    PUMPING = "pumping"
    WATER_WORKS = "water_works"
    WASTEWATER = "wastewater"

    CHOICES = [
        (BOILER_HOUSE, _("Boiler house"), "#e6550d"),
        (HEAT_PLANT, _("Heat plant"), "#a63603"),
        (SUBSTATION, _("Electrical substation"), "#fec44f"),
        (PUMPING, _("Pumping station"), "#3182bd"),
        (WATER_WORKS, _("Water works"), "#08519c"),
        (WASTEWATER, _("Wastewater plant"), "#636363"),
    ]

    HEATING = (BOILER_HOUSE, HEAT_PLANT)


def site_kind(facility_kind: str, tags: Mapping[str, str] | None = None, name: str = "") -> str:
    """The site kind of a facility: its OSM tags decide where they say, else its kind does."""
    tags = tags or {}
    text = f"{name} {tags.get('name', '')}".lower()
    if facility_kind == "heating_plant":
        boiler = tags.get("building") == "boiler_house" or "котельн" in text or "boiler" in text
        return SiteKind.BOILER_HOUSE if boiler else SiteKind.HEAT_PLANT
    if facility_kind == "water_utility":
        if tags.get("man_made") == "wastewater_plant":
            return SiteKind.WASTEWATER
        if tags.get("man_made") == "pumping_station" or "насосн" in text:
            return SiteKind.PUMPING
        return SiteKind.WATER_WORKS
    if facility_kind == "energy_site" and tags.get("power") in ("plant", "generator"):
        return SiteKind.HEAT_PLANT if "тэц" in text or "chp" in text else SiteKind.SUBSTATION
    return SiteKind.SUBSTATION


class SiteState(ChoiceSet):
    """A site's state on the map: normal, a breach building up, an open outage."""

    NORMAL = "normal"
    WARNING = "warning"
    OUTAGE = "outage"
    SILENT = "silent"

    CHOICES = [
        (NORMAL, _("Normal"), "#1a9850"),
        (WARNING, _("Out of range"), "#fdae61"),
        (OUTAGE, _("Outage"), "#d73027"),
        (SILENT, _("No telemetry"), "#969696"),
    ]


class AlertStatus(ChoiceSet):
    """An alert is pending while a breach lasts shorter than its threshold's duration."""

    PENDING = "pending"
    RAISED = "raised"
    CLEARED = "cleared"

    CHOICES = [
        (PENDING, _("Breach, not yet sustained"), "#fdae61"),
        (RAISED, _("Raised"), "#d73027"),
        (CLEARED, _("Cleared"), "#1a9850"),
    ]

    OPEN = (PENDING, RAISED)


class OutageStatus(ChoiceSet):
    OPEN = "open"
    CREW_SENT = "crew_sent"
    RESTORED = "restored"

    CHOICES = [
        (OPEN, _("Open"), "#d73027"),
        (CREW_SENT, _("Repair crew sent"), "#fc8d59"),
        (RESTORED, _("Restored"), "#1a9850"),
    ]

    ACTIVE = (OPEN, CREW_SENT)
    TRANSITIONS = {
        CREW_SENT: ((OPEN,), CREW_SENT),
        RESTORED: ((OPEN, CREW_SENT), RESTORED),
    }


SITE_KINDS = SiteKind.choices()
SITE_STATES = SiteState.choices()
ALERT_STATUSES = AlertStatus.choices()
OUTAGE_STATUSES = OutageStatus.choices()
