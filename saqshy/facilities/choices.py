from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class FacilityKind(ChoiceSet):
    """What a facility is; the keys match ``saqshy.algorithms.osm`` classification."""

    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    UNIVERSITY = "university"
    HOSPITAL = "hospital"
    CLINIC = "clinic"
    POLICE_STATION = "police_station"
    FIRE_STATION = "fire_station"
    MALL = "mall"
    STADIUM = "stadium"
    SPORTS_CENTRE = "sports_centre"
    THEATRE_CINEMA = "theatre_cinema"
    MARKET = "market"
    RELIGIOUS_SITE = "religious_site"
    STATION = "station"
    AIRPORT = "airport"
    ENERGY_SITE = "energy_site"
    HEATING_PLANT = "heating_plant"
    WATER_UTILITY = "water_utility"
    OTHER = "other"

    CHOICES = [
        (SCHOOL, _("School"), "#2ca25f"),
        (KINDERGARTEN, _("Kindergarten"), "#99d8c9"),
        (UNIVERSITY, _("University or college"), "#006d2c"),
        (HOSPITAL, _("Hospital"), "#e7298a"),
        (CLINIC, _("Clinic"), "#f768a1"),
        (POLICE_STATION, _("Police station"), "#1f4e9c"),
        (FIRE_STATION, _("Fire station"), "#d7301f"),
        (MALL, _("Shopping mall"), "#fe9929"),
        (STADIUM, _("Stadium"), "#8c510a"),
        (SPORTS_CENTRE, _("Sports centre"), "#bf812d"),
        (THEATRE_CINEMA, _("Theatre or cinema"), "#7a0177"),
        (MARKET, _("Market"), "#cc4c02"),
        (RELIGIOUS_SITE, _("Religious site"), "#756bb1"),
        (STATION, _("Railway or bus station"), "#525252"),
        (AIRPORT, _("Airport"), "#252525"),
        (ENERGY_SITE, _("Energy site"), "#ffd92f"),
        (HEATING_PLANT, _("Heating plant"), "#e6550d"),
        (WATER_UTILITY, _("Water utility"), "#3182bd"),
        (OTHER, _("Other"), "#969696"),
    ]


FACILITY_KINDS = FacilityKind.choices()


class CapacitySource(ChoiceSet):
    OSM = "osm"
    ESTIMATED = "estimated"
    MANUAL = "manual"
    UNKNOWN = ""

    CHOICES = [
        (OSM, _("OpenStreetMap tag"), "#2b8cbe"),
        (ESTIMATED, _("Estimated from footprint"), "#fdae6b"),
        (MANUAL, _("Entered by hand"), "#31a354"),
        (UNKNOWN, _("Unknown"), "#bdbdbd"),
    ]


class ImportStatus(ChoiceSet):
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
