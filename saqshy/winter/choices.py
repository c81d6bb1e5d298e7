"""Choices of the winter app: fuel left, vehicle kinds, a stranded report's state, standby."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class FuelLeft(ChoiceSet):
    """How much fuel the stranded vehicles have left (keeps the engine and the heater on)."""

    UNKNOWN = "unknown"
    EMPTY = "empty"
    LOW = "low"
    HALF = "half"
    ENOUGH = "enough"

    CHOICES = [
        (UNKNOWN, _("Not known"), "#969696"),
        (EMPTY, _("None left"), "#d73027"),
        (LOW, _("Less than a quarter"), "#fc8d59"),
        (HALF, _("About half"), "#fee08b"),
        (ENOUGH, _("More than half"), "#1a9850"),
    ]


class VehicleKind(ChoiceSet):
    """What the stranded vehicles are (the same values as the road network's vehicle classes,
    so a restriction that keeps buses off a segment applies to a stranded bus)."""

    CAR = "car"
    BUS = "bus"
    TRUCK = "truck"

    CHOICES = [
        (CAR, _("Car"), "#4393c3"),
        (BUS, _("Bus"), "#fdae61"),
        (TRUCK, _("Truck"), "#8c510a"),
    ]


class StrandedStatus(ChoiceSet):
    """Reported, assigned to a warming point, being evacuated, evacuated, closed."""

    REPORTED = "reported"
    ASSIGNED = "assigned"
    EVACUATING = "evacuating"
    EVACUATED = "evacuated"
    CLOSED = "closed"

    CHOICES = [
        (REPORTED, _("Reported"), "#d73027"),
        (ASSIGNED, _("Warming point assigned"), "#fc8d59"),
        (EVACUATING, _("Being evacuated"), "#fee08b"),
        (EVACUATED, _("Evacuated"), "#1a9850"),
        (CLOSED, _("Closed"), "#969696"),
    ]

    TRANSITIONS = {
        "assign": ((REPORTED, ASSIGNED), ASSIGNED),
        "start": ((ASSIGNED,), EVACUATING),
        "complete": ((EVACUATING,), EVACUATED),
        "close": ((REPORTED, ASSIGNED, EVACUATING, EVACUATED), CLOSED),
    }

    OPEN = (REPORTED, ASSIGNED, EVACUATING)


class Readiness(ChoiceSet):
    """How soon a standby unit can move out."""

    IMMEDIATE = "immediate"
    MIN30 = "30min"
    H2 = "2h"

    CHOICES = [
        (IMMEDIATE, _("Immediately"), "#1a9850"),
        (MIN30, _("Within 30 minutes"), "#fee08b"),
        (H2, _("Within 2 hours"), "#fc8d59"),
    ]


class EquipmentType(ChoiceSet):
    """What a standby unit is: special equipment (unit kind ``special_equipment``) of one of
    these types, or a helicopter (unit kind ``helicopter``)."""

    SNOW_PLOUGH = "snow_plough"
    GRADER = "grader"
    TOW_TRUCK = "tow_truck"
    ALL_TERRAIN = "all_terrain"
    HELICOPTER = "helicopter"

    CHOICES = [
        (SNOW_PLOUGH, _("Snow plough"), "#2166ac"),
        (GRADER, _("Grader"), "#4393c3"),
        (TOW_TRUCK, _("Tow truck"), "#8c510a"),
        (ALL_TERRAIN, _("All-terrain vehicle"), "#5e3c99"),
        (HELICOPTER, _("Helicopter"), "#d73027"),
    ]


FUEL_LEFT = FuelLeft.choices()
VEHICLE_KINDS = VehicleKind.choices()
STRANDED_STATUSES = StrandedStatus.choices()
READINESS = Readiness.choices()
EQUIPMENT_TYPES = EquipmentType.choices()
