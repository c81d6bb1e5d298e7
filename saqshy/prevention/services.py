"""Changes to inspection campaigns."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from saqshy.core import services as core_services
from saqshy.facilities.choices import FacilityKind
from saqshy.prevention.models import Campaign


def _check(campaign: Campaign) -> None:
    errors: dict[str, list[str]] = {}
    kinds = campaign.facility_kinds
    if not isinstance(kinds, list) or not kinds:
        errors["facility_kinds"] = [_("Choose at least one kind of facility.")]
    elif unknown := sorted(set(kinds) - set(FacilityKind.values())):
        errors["facility_kinds"] = [
            _("Unknown kind(s): %(kinds)s.") % {"kinds": ", ".join(map(str, unknown))}
        ]
    if campaign.deadline and campaign.starts_on and campaign.deadline < campaign.starts_on:
        errors["deadline"] = [_("The deadline is before the start.")]
    if errors:
        raise ValidationError(errors)


def create_campaign(*, acting_user: Any, **fields: Any) -> Campaign:
    campaign = Campaign(**fields)
    _check(campaign)
    return core_services.create(acting_user=acting_user, instance=campaign)


def update_campaign(*, acting_user: Any, campaign: Campaign, **changes: Any) -> Campaign:
    candidate = Campaign(
        **{
            **{f.attname: getattr(campaign, f.attname) for f in Campaign._meta.concrete_fields},
            **changes,
        }
    )
    _check(candidate)
    return core_services.update(acting_user=acting_user, instance=campaign, changes=changes)


def delete_campaign(*, acting_user: Any, campaign: Campaign) -> None:
    core_services.delete(acting_user=acting_user, instance=campaign)
