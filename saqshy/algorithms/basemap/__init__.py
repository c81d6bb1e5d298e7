"""Offline basemap: our own OSM data cut into Mapbox vector tiles in PMTiles archives.

The live map must work without internet access, so its background map comes from our own
server. ``tilemath`` holds the Web Mercator tile arithmetic; ``vector`` encodes the features
into vector tiles (the browser draws them, street names and house numbers included).
"""

from saqshy.algorithms.basemap.tilemath import (
    MAX_ZOOM,
    iter_geojson_features,
    lonlat_to_mercator,
    lonlat_to_tile,
    mercator_to_lonlat,
    tile_bounds,
    validate_tile,
)
from saqshy.algorithms.basemap.vector import (
    MAX_DATA_ZOOM,
    VectorBasemap,
    merge_tiles,
    write_pmtiles,
)

__all__ = [
    "MAX_DATA_ZOOM",
    "MAX_ZOOM",
    "VectorBasemap",
    "iter_geojson_features",
    "lonlat_to_mercator",
    "lonlat_to_tile",
    "mercator_to_lonlat",
    "merge_tiles",
    "tile_bounds",
    "validate_tile",
    "write_pmtiles",
]
