from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class OutletKind(ChoiceSet):
    """Where pyrotechnics are handled: sold to the public or kept in a store."""

    RETAIL = "retail"
    STORAGE = "storage"

    CHOICES = [
        (RETAIL, _("Retail outlet"), "#e6550d"),
        (STORAGE, _("Storage"), "#756bb1"),
    ]


OUTLET_KINDS = OutletKind.choices()


class RaidStatus(ChoiceSet):
    """Where a raid stands; only finished (``done``) raids count in the totals."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    CHOICES = [
        (PLANNED, _("Planned"), "#3182bd"),
        (IN_PROGRESS, _("In progress"), "#fd8d3c"),
        (DONE, _("Done"), "#31a354"),
        (CANCELLED, _("Cancelled"), "#969696"),
    ]


RAID_STATUSES = RaidStatus.choices()


class VisitResult(ChoiceSet):
    """What a raid found at one outlet."""

    PENDING = "pending"
    COMPLIANT = "compliant"
    VIOLATION = "violation"
    CLOSED = "closed"
    NOT_FOUND = "not_found"

    CHOICES = [
        (PENDING, _("Not visited yet"), "#bdbdbd"),
        (COMPLIANT, _("Compliant"), "#31a354"),
        (VIOLATION, _("Violation found"), "#e6550d"),
        (CLOSED, _("Closed down"), "#c62828"),
        (NOT_FOUND, _("Outlet not found"), "#636363"),
    ]

    # Results that count as a violation in the totals.
    VIOLATIONS = (VIOLATION, CLOSED)


VISIT_RESULTS = VisitResult.choices()
