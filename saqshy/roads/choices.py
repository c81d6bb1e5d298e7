"""Choices of the roads app: a segment's status, what a restriction forbids, why."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class SegmentStatus(ChoiceSet):
    """Whether traffic may use a segment now."""

    OPEN = "open"
    RESTRICTED = "restricted"
    CLOSED = "closed"

    CHOICES = [
        (OPEN, _("Open"), "#1a9850"),
        (RESTRICTED, _("Restricted"), "#fdae61"),
        (CLOSED, _("Closed"), "#d73027"),
    ]


class Restriction(ChoiceSet):
    """What a restricted segment forbids (a closed one forbids everything)."""

    NO_BUSES = "no_buses"
    NO_TRUCKS = "no_trucks"
    CONVOY_ONLY = "convoy_only"
    EMERGENCY_ONLY = "emergency_only"

    CHOICES = [
        (NO_BUSES, _("No buses"), "#fdae61"),
        (NO_TRUCKS, _("No heavy goods vehicles"), "#fdae61"),
        (CONVOY_ONLY, _("Convoy only, behind a snowplough"), "#f46d43"),
        (EMERGENCY_ONLY, _("Emergency vehicles only"), "#d73027"),
    ]


class ClosureReason(ChoiceSet):
    """Why a segment is closed or restricted."""

    BLIZZARD = "blizzard"
    ICE = "ice"
    COLD = "cold"
    WIND = "wind"
    FLOOD = "flood"
    ACCIDENT = "accident"
    WORKS = "works"
    OTHER = "other"

    CHOICES = [
        (BLIZZARD, _("Blizzard, snow drifts"), "#4575b4"),
        (ICE, _("Black ice"), "#74add1"),
        (COLD, _("Extreme cold"), "#313695"),
        (WIND, _("Storm wind"), "#5e3c99"),
        (FLOOD, _("Flooding"), "#2166ac"),
        (ACCIDENT, _("Road accident"), "#d73027"),
        (WORKS, _("Road works"), "#8c510a"),
        (OTHER, _("Other reason"), "#969696"),
    ]


class VehicleClass(ChoiceSet):
    """The vehicle a route is planned for: a restriction may forbid it."""

    CAR = "car"
    BUS = "bus"
    TRUCK = "truck"
    EMERGENCY = "emergency"

    CHOICES = [
        (CAR, _("Car"), "#4393c3"),
        (BUS, _("Bus"), "#fdae61"),
        (TRUCK, _("Truck"), "#8c510a"),
        (EMERGENCY, _("Emergency vehicle"), "#d73027"),
    ]


SEGMENT_STATUSES = SegmentStatus.choices()
RESTRICTIONS = Restriction.choices()
CLOSURE_REASONS = ClosureReason.choices()
VEHICLE_CLASSES = VehicleClass.choices()
