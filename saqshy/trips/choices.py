from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class TripStatus(ChoiceSet):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    RETURNED = "returned"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    CHOICES = [
        (DRAFT, _("Draft"), "#bdbdbd"),
        (SUBMITTED, _("Submitted"), "#3182bd"),
        (APPROVED, _("Approved"), "#31a354"),
        (DEPARTED, _("Departed"), "#fd8d3c"),
        (ARRIVED, _("Arrived"), "#756bb1"),
        (RETURNED, _("Returned"), "#636363"),
        (REJECTED, _("Rejected"), "#de2d26"),
        (CANCELLED, _("Cancelled"), "#969696"),
    ]

    # Allowed transitions: the services refuse anything else with 409.
    TRANSITIONS = {
        "submit": ((DRAFT,), SUBMITTED),
        "approve": ((SUBMITTED,), APPROVED),
        "reject": ((SUBMITTED,), REJECTED),
        "cancel": ((DRAFT, SUBMITTED, APPROVED), CANCELLED),
        "reopen": ((REJECTED,), DRAFT),
        "depart": ((APPROVED,), DEPARTED),
        "arrive": ((DEPARTED,), ARRIVED),
        "return": ((ARRIVED,), RETURNED),
    }
    # Live status reports and the transition each one is.
    LIVE = {DEPARTED: "depart", ARRIVED: "arrive", RETURNED: "return"}
    # Editable by the organiser; decided trips are cancelled, not edited.
    EDITABLE = (DRAFT, SUBMITTED)
    # A trip in one of these holds its escort's time (a reservation until approved).
    HOLDS_ESCORT = (DRAFT, SUBMITTED, APPROVED, DEPARTED, ARRIVED)
    # A trip in one of these has taken its escort for good: approval checks against them.
    TAKES_ESCORT = (APPROVED, DEPARTED, ARRIVED)


class VehicleKind(ChoiceSet):
    BUS = "bus"
    MINIBUS = "minibus"
    CAR = "car"
    OTHER = "other"

    CHOICES = [
        (BUS, _("Bus"), "#3182bd"),
        (MINIBUS, _("Minibus"), "#6baed6"),
        (CAR, _("Car"), "#9ecae1"),
        (OTHER, _("Other vehicle"), "#969696"),
    ]


class EscortKind(ChoiceSet):
    PERSON = "person"
    UNIT = "unit"

    CHOICES = [
        (PERSON, _("Police officer"), "#1f4e9c"),
        (UNIT, _("Police unit"), "#08306b"),
    ]


class ConflictKind(ChoiceSet):
    NOT_POLICE = "not_police"
    INACTIVE = "inactive"
    ABSENCE = "absence"
    SHIFT = "shift"
    TRIP = "trip"

    CHOICES = [
        (NOT_POLICE, _("Not police"), "#de2d26"),
        (INACTIVE, _("Not in service"), "#de2d26"),
        (ABSENCE, _("Absent"), "#d73027"),
        (SHIFT, _("Rostered on a shift"), "#fd8d3c"),
        (TRIP, _("Escorting another trip"), "#e7298a"),
    ]
