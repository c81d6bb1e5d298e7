from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class Severity(ChoiceSet):
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    CHOICES = [
        (MINOR, _("Minor"), "#fdae61"),
        (MAJOR, _("Major"), "#f46d43"),
        (CRITICAL, _("Critical"), "#a50026"),
    ]

    BLOCKING = (MAJOR, CRITICAL)


class ViolationStatus(ChoiceSet):
    OPEN = "open"
    ELIMINATED = "eliminated"
    VERIFIED = "verified"

    CHOICES = [
        (OPEN, _("Open"), "#d73027"),
        (ELIMINATED, _("Eliminated, awaiting verification"), "#fee08b"),
        (VERIFIED, _("Verified"), "#1a9850"),
    ]


class Clearance(ChoiceSet):
    """A venue's fire-safety standing, derived from its inspections and violations."""

    CLEARED = "cleared"
    BLOCKED = "blocked"
    EXPIRED = "expired"
    NEVER = "never"

    CHOICES = [
        (CLEARED, _("Cleared for operation"), "#1a9850"),
        (BLOCKED, _("Not cleared: open major or critical violation"), "#d73027"),
        (EXPIRED, _("Not cleared: no inspection within the validity period"), "#fdae61"),
        (NEVER, _("Not cleared: never inspected"), "#969696"),
    ]


SEVERITIES = Severity.choices()
VIOLATION_STATUSES = ViolationStatus.choices()
