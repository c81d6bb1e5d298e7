"""Every change to campaigns and parent meetings, through the shared write path
(``saqshy.core.services``): scope checked where the record lives, the row locked and re-read,
only the changed fields written and audited, the change pushed live on commit.

A campaign's districts must lie in its region; a meeting's region and district follow its
school and are never typed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saqshy.accounts.models import District
from saqshy.core import services as core_services
from saqshy.outreach.choices import CampaignStatus
from saqshy.outreach.models import Campaign, ParentMeeting

READ_ONLY = ("status", "region_id", "district", "district_id", "id", "pk")


def campaign_payload(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "topic": campaign.topic,
        "status": campaign.status,
        "region": campaign.region_id,
        "starts_on": campaign.starts_on.isoformat() if campaign.starts_on else None,
        "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else None,
        "planned_reach": campaign.planned_reach,
        "reached": campaign.reached,
    }


def meeting_payload(meeting: ParentMeeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "school": meeting.school_id,
        "region": meeting.region_id,
        "district": meeting.district_id,
        "held_on": meeting.held_on.isoformat() if meeting.held_on else None,
        "attendees": meeting.attendees,
        "topics": list(meeting.topics or []),
    }


def _check_districts(region_id: int, districts: Iterable[District]) -> list[District]:
    chosen = list(districts)
    if any(district.region_id != region_id for district in chosen):
        raise ValidationError({"districts": [_("Every district must lie in the region.")]})
    return chosen


def create_campaign(
    *, acting_user: Any, districts: Iterable[District] = (), **fields: Any
) -> Campaign:
    """Add a campaign (planned); ``districts`` narrow it within its region."""
    for name in READ_ONLY:
        fields.pop(name, None)
    campaign = Campaign(**fields)
    campaign.status = CampaignStatus.PLANNED
    with transaction.atomic():
        chosen = _check_districts(campaign.region_id, districts)
        core_services.create(acting_user=acting_user, instance=campaign, payload=campaign_payload)
        if chosen:
            core_services.set_related(
                acting_user=acting_user, instance=campaign, field="districts", values=chosen
            )
    return campaign


def update_campaign(
    *,
    acting_user: Any,
    campaign: Campaign,
    expected_version: str | None = None,
    districts: Iterable[District] | None = None,
    **changes: Any,
) -> Campaign:
    """Change a campaign's description, period, reach or districts; status moves only
    through ``start``/``finish``/``resume``."""
    for name in READ_ONLY:
        changes.pop(name, None)
    with transaction.atomic():
        chosen = list(districts) if districts is not None else None

        def consistent(locked: Campaign) -> None:
            kept = chosen if chosen is not None else list(locked.districts.all())
            _check_districts(locked.region_id, kept)

        core_services.update(
            acting_user=acting_user,
            instance=campaign,
            changes=changes,
            payload=campaign_payload,
            expected_version=expected_version,
            check=consistent,
        )
        if chosen is not None:
            core_services.set_related(
                acting_user=acting_user, instance=campaign, field="districts", values=chosen
            )
    return campaign


def record_reach(
    *, acting_user: Any, campaign: Campaign, reached: Any, expected_version: str | None = None
) -> Campaign:
    """Record how many people the campaign has reached so far (the running total)."""
    if isinstance(reached, bool) or not isinstance(reached, int) or reached < 0:
        raise ValidationError({"reached": [_("Give the number of people reached, 0 or more.")]})
    return update_campaign(
        acting_user=acting_user,
        campaign=campaign,
        expected_version=expected_version,
        reached=reached,
    )


def move_campaign(
    *, acting_user: Any, campaign: Campaign, name: str, expected_version: str | None = None
) -> Campaign:
    """Start, finish or resume a campaign (``CampaignStatus.TRANSITIONS``); 409 otherwise."""
    if name not in CampaignStatus.TRANSITIONS:
        raise ValidationError({"action": [_("Unknown action.")]})
    return core_services.transition(
        acting_user=acting_user,
        instance=campaign,
        states=CampaignStatus,
        name=name,
        expected_version=expected_version,
        payload=campaign_payload,
    )


def delete_campaign(
    *, acting_user: Any, campaign: Campaign, expected_version: str | None = None
) -> None:
    core_services.delete(
        acting_user=acting_user, instance=campaign, expected_version=expected_version
    )


def _follow_school(fields: dict[str, Any]) -> None:
    school = fields.get("school")
    if school is None:
        raise ValidationError({"school": [_("Choose a school.")]})
    fields["region_id"] = school.region_id
    fields["district_id"] = school.district_id


def record_meeting(*, acting_user: Any, **fields: Any) -> ParentMeeting:
    """Record a parent meeting held at a school; region and district follow the school."""
    for name in ("region", *READ_ONLY):
        fields.pop(name, None)
    _follow_school(fields)
    meeting = ParentMeeting(**fields)
    return core_services.create(acting_user=acting_user, instance=meeting, payload=meeting_payload)


def update_meeting(
    *,
    acting_user: Any,
    meeting: ParentMeeting,
    expected_version: str | None = None,
    **changes: Any,
) -> ParentMeeting:
    for name in ("region", *READ_ONLY):
        changes.pop(name, None)
    if "school" in changes:
        _follow_school(changes)
    return core_services.update(
        acting_user=acting_user,
        instance=meeting,
        changes=changes,
        payload=meeting_payload,
        expected_version=expected_version,
    )


def delete_meeting(
    *, acting_user: Any, meeting: ParentMeeting, expected_version: str | None = None
) -> None:
    core_services.delete(
        acting_user=acting_user, instance=meeting, expected_version=expected_version
    )
