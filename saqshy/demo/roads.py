"""The demo's road network: the national highways and their names (``data/roads/``)."""

from __future__ import annotations

import json
from collections.abc import Callable

from saqshy.demo.loader import bundle_path
from saqshy.roads.importer import apply_names, import_highways


def load_roads(*, say: Callable[[str], None] = print) -> int:
    """Load the highway segments and road names; idempotent. Returns the number of segments
    (created or already there). Needs the regions and districts loaded first."""
    collection = json.loads(bundle_path("roads", "kz_highways.geojson").read_text("utf-8"))
    result = import_highways(acting_user=None, collection=collection)
    names = json.loads(bundle_path("roads", "names.json").read_text("utf-8"))
    named = apply_names(acting_user=None, roads=names.get("roads") or [])
    say(
        f"roads: {result.segments} segments ({result.km:.0f} km), {result.created} new; "
        f"{named.named} segments named"
    )
    return result.segments
