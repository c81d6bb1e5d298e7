"""Outreach: awareness campaigns and parent meetings at schools."""

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls

_CAMPAIGNS = _("public-awareness campaigns")
_MEETINGS = _("parent meetings")

INDICATORS = (
    Indicator(
        "campaigns_running",
        _("Awareness campaigns running"),
        _CAMPAIGNS,
        _("Awareness campaigns started (running or finished) whose period overlaps the days."),
        "outreach.campaign",
        "saqshy.outreach.indicators.campaigns_running",
        order=150,
    ),
    Indicator(
        "campaign_reach",
        _("People reached by campaigns"),
        _CAMPAIGNS,
        _("People reached so far, as recorded, by the campaigns running on the days."),
        "outreach.campaign",
        "saqshy.outreach.indicators.campaign_reach",
        order=151,
    ),
    Indicator(
        "parent_meetings",
        _("Parent meetings"),
        _MEETINGS,
        _("Parent meetings on the children's holiday safety held at schools on the days."),
        "outreach.parentmeeting",
        "saqshy.outreach.indicators.parent_meetings",
        order=152,
    ),
    Indicator(
        "parent_meeting_attendees",
        _("Parents at meetings"),
        _MEETINGS,
        _("Parents attending the parent meetings held on the days."),
        "outreach.parentmeeting",
        "saqshy.outreach.indicators.parent_meeting_attendees",
        order=153,
    ),
    Indicator(
        "schools_with_parent_meeting_share",
        _("Schools with a parent meeting"),
        _MEETINGS,
        _("Share of the region's schools that held at least one parent meeting on the days."),
        "outreach.parentmeeting",
        "saqshy.outreach.indicators.schools_with_parent_meeting_share",
        unit="share",
        order=154,
    ),
)


class OutreachConfig(registry.SaqshyAppConfig):
    name = "saqshy.outreach"
    label = "outreach"
    verbose_name = _("Outreach")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        pages=(PageUrls("outreach/", "saqshy.outreach.urls"),),
        api="saqshy.outreach.api.urls",
        nav=(
            NavEntry(_("Outreach"), "outreach:campaigns", 68, ("outreach",), "outreach.campaign"),
        ),
        schema_enums={
            "OutreachTopicEnum": "saqshy.outreach.choices.TOPICS",
            "OutreachChannelEnum": "saqshy.outreach.choices.CHANNELS",
            "OutreachAudienceEnum": "saqshy.outreach.choices.AUDIENCES",
            "OutreachCampaignStatusEnum": "saqshy.outreach.choices.CAMPAIGN_STATUSES",
        },
        role_rules={
            "planner": (("*", "outreach.*"),),
            "region-coordinator": (("*", "outreach.*"),),
        },
    )
