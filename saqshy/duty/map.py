"""The patrol-plan layer of the situation map."""

from __future__ import annotations

from typing import Any

from saqshy.core.scoping import user_scope
from saqshy.duty.models import PatrolPlan


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    """The latest patrol plan of the region the map opens on, if the user may see plans."""
    url = "/api/duty/patrol-plans/?page_size=1"
    if region is not None:
        url += f"&region={region.pk}"
    return {
        "patrolPlansUrl": url,
        "patrolStopsUrl": "/api/duty/patrol-plans/{id}/stops/",
        "patrolSheetUrl": "/duty/patrol-plans/{id}/",
        "seePatrols": not user_scope(user, PatrolPlan, "view").empty,
    }
