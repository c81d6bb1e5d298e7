"""Choices of protective security: capacity tiers, answers, severities, states."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class Tier(ChoiceSet):
    """The duty a crowded place carries by how many people it may hold (UK Terrorism
    (Protection of Premises) Act 2025: standard 200–799, enhanced 800 or more; the numbers
    are the norms ``protection_standard_tier_people`` and ``protection_enhanced_tier_people``)."""

    STANDARD = "standard"
    ENHANCED = "enhanced"

    CHOICES = [
        (STANDARD, _("Standard tier"), "#fdae61"),
        (ENHANCED, _("Enhanced tier"), "#d73027"),
    ]

    RANK = {STANDARD: 1, ENHANCED: 2}


class Answer(ChoiceSet):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"

    CHOICES = [
        (MET, _("Met"), "#1a9850"),
        (NOT_MET, _("Not met"), "#d73027"),
        (NOT_APPLICABLE, _("Not applicable"), "#969696"),
    ]


class Severity(ChoiceSet):
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    CHOICES = [
        (MINOR, _("Minor"), "#fdae61"),
        (MAJOR, _("Major"), "#f46d43"),
        (CRITICAL, _("Critical"), "#a50026"),
    ]


class AssessmentStatus(ChoiceSet):
    """A draft is being filled in; a completed assessment counts for the venue's events."""

    DRAFT = "draft"
    COMPLETED = "completed"

    CHOICES = [
        (DRAFT, _("Draft"), "#969696"),
        (COMPLETED, _("Completed"), "#1a9850"),
    ]

    TRANSITIONS = {"complete": ((DRAFT,), COMPLETED)}


class FindingStatus(ChoiceSet):
    OPEN = "open"
    FIXED = "fixed"

    CHOICES = [
        (OPEN, _("Open"), "#d73027"),
        (FIXED, _("Fixed"), "#1a9850"),
    ]

    TRANSITIONS = {"fix": ((OPEN,), FIXED)}


class Measure(ChoiceSet):
    """An item answered from the records instead of by hand."""

    CCTV_COVERAGE = "cctv_coverage"

    CHOICES = [(CCTV_COVERAGE, _("CCTV coverage computed from the camera registry"), "#4393c3")]


TIERS = Tier.choices()
ANSWERS = Answer.choices()
SEVERITIES = Severity.choices()
ASSESSMENT_STATUSES = AssessmentStatus.choices()
FINDING_STATUSES = FindingStatus.choices()
