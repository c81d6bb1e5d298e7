from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class GatheringKind(ChoiceSet):
    NEW_YEAR_TREE = "new_year_tree"
    CONCERT = "concert"
    FAIR = "fair"
    SPORTS = "sports"
    RELIGIOUS = "religious"
    FESTIVAL = "festival"
    FIREWORKS = "fireworks"
    OTHER = "other"

    CHOICES = [
        (NEW_YEAR_TREE, _("New Year tree or matinee"), "#1b9e77"),
        (CONCERT, _("Concert"), "#7570b3"),
        (FAIR, _("Fair"), "#d95f02"),
        (SPORTS, _("Sports event"), "#8c510a"),
        (RELIGIOUS, _("Religious event"), "#756bb1"),
        (FESTIVAL, _("Festival"), "#e7298a"),
        (FIREWORKS, _("Fireworks show"), "#e41a1c"),
        (OTHER, _("Other"), "#969696"),
    ]


class GatheringStatus(ChoiceSet):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    HELD = "held"
    CANCELLED = "cancelled"

    CHOICES = [
        (DRAFT, _("Draft"), "#bdbdbd"),
        (SUBMITTED, _("Submitted"), "#3182bd"),
        (APPROVED, _("Approved"), "#31a354"),
        (REJECTED, _("Rejected"), "#de2d26"),
        (HELD, _("Held"), "#636363"),
        (CANCELLED, _("Cancelled"), "#969696"),
    ]

    # Allowed transitions: the services refuse anything else with 409.
    TRANSITIONS = {
        "submit": ((DRAFT,), SUBMITTED),
        "approve": ((SUBMITTED,), APPROVED),
        "reject": ((SUBMITTED,), REJECTED),
        "mark_held": ((APPROVED,), HELD),
        "cancel": ((DRAFT, SUBMITTED, APPROVED), CANCELLED),
        "reopen": ((REJECTED,), DRAFT),
    }


class GateCode(ChoiceSet):
    VENUE_CLEARED = "venue_cleared"
    FIRE_STANDBY = "fire_standby"
    MEDICAL = "medical_presence"
    CHILDREN_PREP = "children_preparation"
    ACCESS_ROUTE = "access_route"
    PROTECTIVE_SECURITY = "protective_security"

    CHOICES = [
        (VENUE_CLEARED, _("Venue cleared for operation"), "#1a9850"),
        (FIRE_STANDBY, _("Fire standby planned"), "#d73027"),
        (MEDICAL, _("Medical presence planned"), "#e7298a"),
        (CHILDREN_PREP, _("Staff briefing and evacuation drill for a children's event"), "#1b9e77"),
        (ACCESS_ROUTE, _("24/7 emergency access route recorded as clear"), "#4575b4"),
        (PROTECTIVE_SECURITY, _("Protective-security assessment of the venue"), "#762a83"),
    ]


GATHERING_KINDS = GatheringKind.choices()
GATHERING_STATUSES = GatheringStatus.choices()
