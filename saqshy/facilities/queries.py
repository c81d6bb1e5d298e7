"""Read-only look-ups of facilities for other apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from saqshy.facilities.models import Facility


def by_key(user: Any, keys: Iterable[str]) -> dict[str, Facility]:
    """The facilities named by id (``"42"``) or OpenStreetMap reference (``"way/123"``), keyed
    as named; only those ``user`` may view (every one when ``user`` is None, as for a command
    run without ``--as``). A key that names nothing visible is left out."""
    keys = set(keys)
    visible = Facility.objects.restrict(user, "view") if user else Facility.objects
    found: dict[str, Facility] = {}
    for facility in visible.filter(pk__in=[int(k) for k in keys if k.isdigit()]):
        found[str(facility.pk)] = facility
    for facility in visible.filter(osm_ref__in=[k for k in keys if not k.isdigit()]):
        found[str(facility.osm_ref)] = facility
    return found
