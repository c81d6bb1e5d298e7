"""Every change to readiness levels: set a level (ending the one it follows), end a level."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import Agency, Region
from saqshy.core import services as core_services
from saqshy.core.scoping import user_scope
from saqshy.duty.choices import ReadinessLevel
from saqshy.duty.models import Readiness
from saqshy.duty.readiness.queries import forget_banners


def _readiness_payload(readiness: Readiness) -> dict[str, Any]:
    return {
        "level": readiness.level,
        "label": str(ReadinessLevel.label(readiness.level)),
        "colour": readiness.colour,
        "agency_id": readiness.agency_id,
        "starts_at": readiness.starts_at.isoformat(),
        "ends_at": readiness.ends_at.isoformat() if readiness.ends_at else None,
        "reason": readiness.reason,
    }


def _require_agency_scope(acting_user: Any, region: Region, agency: Agency | None) -> None:
    if agency is None or acting_user is None or getattr(acting_user, "is_superuser", False):
        return
    if not user_scope(acting_user, Readiness, "add").covers(region.pk, agency.pk):
        raise PermissionDenied(_("You may not set the readiness of this agency."))


def set_readiness(
    *,
    acting_user: Any,
    region: Region,
    level: str,
    starts_at: dt.datetime,
    reason: str,
    agency: Agency | None = None,
    ends_at: dt.datetime | None = None,
) -> Readiness:
    """Put a region (one agency, or all) on a readiness level from ``starts_at``.

    A level of the same region and agency that is in force at ``starts_at`` ends there; a
    later level of the same region and agency that the new window would overlap is refused,
    so there is one answer for every moment. Audited, and pushed live on the topic
    ``readiness`` so every open page's banner updates.
    """
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the readiness level is set.")]})
    readiness = Readiness(
        region=region,
        agency=agency,
        level=level,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        set_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    core_services.require_scope(acting_user, readiness, "add")
    _require_agency_scope(acting_user, region, agency)
    readiness.full_clean()
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=region.pk).first()
        same = Readiness.objects.filter(region=region, agency=agency)
        later = same.filter(starts_at__gte=starts_at)
        if ends_at is not None:
            later = later.filter(starts_at__lt=ends_at)
        clash = later.order_by("starts_at").first()
        if clash is not None:
            raise ValidationError(
                {
                    "starts_at": [
                        _("A level is already set from %(when)s; end it first.")
                        % {"when": timezone.localtime(clash.starts_at).strftime("%d.%m.%Y %H:%M")}
                    ]
                }
            )
        open_then = Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at)
        for current in same.filter(open_then, starts_at__lt=starts_at):
            core_services.update(
                acting_user=acting_user,
                instance=current,
                changes={"ends_at": starts_at},
                payload=_readiness_payload,
            )
        created = core_services.create(
            acting_user=acting_user, instance=readiness, payload=_readiness_payload
        )
        transaction.on_commit(forget_banners)
    return created


def end_readiness(
    *, acting_user: Any, readiness: Readiness, at: dt.datetime | None = None
) -> Readiness:
    """End a level at ``at`` (default now); a level that has not started yet is removed."""
    at = at or timezone.now()
    _require_agency_scope(acting_user, readiness.region, readiness.agency)
    with transaction.atomic():
        if readiness.starts_at >= at:
            core_services.delete(acting_user=acting_user, instance=readiness)
        elif readiness.ends_at is None or readiness.ends_at > at:
            readiness = core_services.update(
                acting_user=acting_user,
                instance=readiness,
                changes={"ends_at": at},
                payload=_readiness_payload,
            )
        transaction.on_commit(forget_banners)
    return readiness
