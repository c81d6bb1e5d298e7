"""Weather tests: make a persona the road authority (a planner of a road agency) too."""

from __future__ import annotations

from typing import Any

from saqshy.accounts.models import Agency, Grant, Region, Role


def as_road_authority(user: Any, region: Region) -> Any:
    """Give ``user`` a planner's grant at ``region``'s road (transport) agency: the one who
    may close the region's roads and so confirm a warning's closure."""
    agency, _ = Agency.objects.get_or_create(
        code=f"roads-{region.slug}",
        defaults={"kind": "transport", "region": region, "name_en": f"Roads {region.slug}"},
    )
    Grant.objects.get_or_create(
        user=user, agency=agency, role=Role.objects.get(slug="planner"), region=region
    )
    return user
