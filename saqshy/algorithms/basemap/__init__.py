"""Offline basemap: render standard XYZ raster tiles (Web Mercator PNG) from our own OSM data.

The live map must work without internet access, so its background map is drawn by our own
server from city GeoJSON extracts instead of an external tile server.  This package is the
pure rendering engine (no Django): :class:`BasemapIndex` projects and indexes the features
once, :func:`render_tile` turns an index into PNG tile bytes, and ``style`` holds the look.
"""

from saqshy.algorithms.basemap.index import (
    BasemapIndex,
    BoundaryLayer,
    Layer,
    RoadLayer,
    lonlat_to_mercator,
    lonlat_to_tile,
    mercator_to_lonlat,
    tile_bounds,
    validate_tile,
)
from saqshy.algorithms.basemap.render import empty_tile, render_tile

__all__ = [
    "BasemapIndex",
    "BoundaryLayer",
    "Layer",
    "RoadLayer",
    "empty_tile",
    "lonlat_to_mercator",
    "lonlat_to_tile",
    "mercator_to_lonlat",
    "render_tile",
    "tile_bounds",
    "validate_tile",
]
