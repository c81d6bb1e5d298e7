"""Choices of the alerts app: the CAP 1.2 code lists and Saqshy's own workflow states.

Stored values are the CAP codes themselves (``Actual``, ``Extreme`` …), so building and
reading the XML needs no mapping; labels are translated and colours follow the severity.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class CapStatus(ChoiceSet):
    """``<status>``: who the alert is for."""

    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"

    CHOICES = [
        (ACTUAL, _("Actual"), "#d73027"),
        (EXERCISE, _("Exercise"), "#fdae61"),
        (SYSTEM, _("System message"), "#969696"),
        (TEST, _("Test"), "#969696"),
        (DRAFT, _("Draft (not for action)"), "#bdbdbd"),
    ]


class MsgType(ChoiceSet):
    """``<msgType>``: a new alert, an update of an earlier one or its cancellation."""

    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"
    ACK = "Ack"
    ERROR = "Error"

    CHOICES = [
        (ALERT, _("New alert"), "#d73027"),
        (UPDATE, _("Update"), "#fdae61"),
        (CANCEL, _("Cancellation"), "#1a9850"),
        (ACK, _("Acknowledgement"), "#969696"),
        (ERROR, _("Error notice"), "#969696"),
    ]


class State(ChoiceSet):
    """Where an alert is in Saqshy's workflow: written, sent for approval, published."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"

    CHOICES = [
        (DRAFT, _("Draft"), "#bdbdbd"),
        (SUBMITTED, _("Awaiting approval"), "#fdae61"),
        (PUBLISHED, _("Published"), "#1a9850"),
    ]
    TRANSITIONS = {
        "submit": ((DRAFT,), SUBMITTED),
        "send_back": ((SUBMITTED,), DRAFT),
        "publish": ((SUBMITTED,), PUBLISHED),
    }


class Source(ChoiceSet):
    """Whether an alert was written here or read from another agency's feed."""

    AUTHORED = "authored"
    INGESTED = "ingested"

    CHOICES = [
        (AUTHORED, _("Written here"), "#4575b4"),
        (INGESTED, _("Received from a feed"), "#7b3294"),
    ]


class Category(ChoiceSet):
    """``<category>``."""

    GEO = "Geo"
    MET = "Met"
    SAFETY = "Safety"
    SECURITY = "Security"
    RESCUE = "Rescue"
    FIRE = "Fire"
    HEALTH = "Health"
    ENV = "Env"
    TRANSPORT = "Transport"
    INFRA = "Infra"
    CBRNE = "CBRNE"
    OTHER = "Other"

    CHOICES = [
        (GEO, _("Geophysical"), "#8c510a"),
        (MET, _("Weather"), "#4575b4"),
        (SAFETY, _("Public safety"), "#fdae61"),
        (SECURITY, _("Security"), "#d73027"),
        (RESCUE, _("Rescue"), "#f46d43"),
        (FIRE, _("Fire"), "#d73027"),
        (HEALTH, _("Health"), "#1a9850"),
        (ENV, _("Environment"), "#66bd63"),
        (TRANSPORT, _("Transport"), "#313695"),
        (INFRA, _("Utilities and infrastructure"), "#5e3c99"),
        (CBRNE, _("Chemical, biological, radiological"), "#7f0000"),
        (OTHER, _("Other"), "#969696"),
    ]


class Urgency(ChoiceSet):
    """``<urgency>``: how soon to act."""

    IMMEDIATE = "Immediate"
    EXPECTED = "Expected"
    FUTURE = "Future"
    PAST = "Past"
    UNKNOWN = "Unknown"

    CHOICES = [
        (IMMEDIATE, _("Act now"), "#d73027"),
        (EXPECTED, _("Act within the hour"), "#fc8d59"),
        (FUTURE, _("Act in the near future"), "#fee08b"),
        (PAST, _("No longer needed"), "#91cf60"),
        (UNKNOWN, _("Urgency unknown"), "#969696"),
    ]


class Severity(ChoiceSet):
    """``<severity>``: how bad; the colour is the alert's colour on the map and public page."""

    EXTREME = "Extreme"
    SEVERE = "Severe"
    MODERATE = "Moderate"
    MINOR = "Minor"
    UNKNOWN = "Unknown"

    CHOICES = [
        (EXTREME, _("Extreme threat to life"), "#b2182b"),
        (SEVERE, _("Significant threat to life"), "#ef6548"),
        (MODERATE, _("Possible threat to life"), "#fdae61"),
        (MINOR, _("Minimal threat"), "#fee08b"),
        (UNKNOWN, _("Severity unknown"), "#969696"),
    ]


class Certainty(ChoiceSet):
    """``<certainty>``."""

    OBSERVED = "Observed"
    LIKELY = "Likely"
    POSSIBLE = "Possible"
    UNLIKELY = "Unlikely"
    UNKNOWN = "Unknown"

    CHOICES = [
        (OBSERVED, _("Observed"), "#d73027"),
        (LIKELY, _("Likely (over 50%)"), "#fc8d59"),
        (POSSIBLE, _("Possible"), "#fee08b"),
        (UNLIKELY, _("Unlikely"), "#91cf60"),
        (UNKNOWN, _("Certainty unknown"), "#969696"),
    ]


class AreaKind(ChoiceSet):
    """What an alert area was made from."""

    REGION = "region"
    DISTRICT = "district"
    SEGMENT = "segment"
    DRAWN = "drawn"
    RECEIVED = "received"

    CHOICES = [
        (REGION, _("Whole region"), "#4575b4"),
        (DISTRICT, _("District"), "#74add1"),
        (SEGMENT, _("Along a road"), "#d73027"),
        (DRAWN, _("Drawn on the map"), "#fdae61"),
        (RECEIVED, _("As received"), "#7b3294"),
    ]


LANGUAGES = (("kk-KZ", _("Kazakh")), ("ru-KZ", _("Russian")), ("en-US", _("English")))
"""The languages of an authored alert's info blocks, as CAP ``<language>`` codes."""
LANGUAGE_CODES = tuple(code for code, _label in LANGUAGES)

# The choice lists by name, for the API schema's enum names (apps.py ``schema_enums``).
CAP_STATUSES = CapStatus.choices()
MSG_TYPES = MsgType.choices()
ALERT_STATES = State.choices()
CAP_URGENCIES = Urgency.choices()
CAP_SEVERITIES = Severity.choices()
CAP_CERTAINTIES = Certainty.choices()
