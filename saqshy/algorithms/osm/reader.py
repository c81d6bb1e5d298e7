"""``read_osm``: one entry point for both supported OSM sources."""

from __future__ import annotations

from pathlib import Path

from .assemble import assemble
from .model import OsmExtract, OsmReadError, ProgressCallback
from .mvt import read_tiles
from .pbf import read_pbf


def read_osm(path: str | Path, progress: ProgressCallback | None = None) -> OsmExtract:
    """Read facilities, roads, buildings and water from an OSM file or a folder of QA tiles.

    ``path`` is an OSM file (``.osm.pbf``; XML ``.osm`` also works) or a folder of OSM QA
    vector tiles named ``Z-X-Y.mvt``. ``progress(done, total)`` is called as reading
    advances. Anything unreadable raises ``OsmReadError`` naming the file. The result does
    not depend on the run: reading the same input twice gives equal extracts.
    """
    source = Path(path)
    if not source.exists():
        raise OsmReadError(f"OSM source {source} does not exist")
    if source.is_dir():
        features, roads = read_tiles(source, progress)
    else:
        features, roads = read_pbf(source, progress)
    return assemble(features, roads, source.name)
