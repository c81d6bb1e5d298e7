"""Pure-Python OpenStreetMap reader: facilities, roads, buildings and water for Saqshy.

No Django here: the importers and the demo-bundle builder wrap it. Sources are an OSM file
(``.osm.pbf`` through pyosmium) or a folder of OSM QA vector tiles (``Z-X-Y.mvt``).
"""

from .capacity import LOAD_FACTORS, estimate_capacity, geodesic_area_m2, parse_capacity
from .classify import FACILITY_KINDS, classify, display_name
from .facility import BuildingIndex, attach_footprints, facility_record, geojson_of
from .layers import basemap_features
from .model import (
    BuildingRecord,
    FacilityRecord,
    OsmExtract,
    OsmReadError,
    ProgressCallback,
    RoadRecord,
    WaterRecord,
)
from .reader import read_osm

__all__ = [
    "FACILITY_KINDS",
    "LOAD_FACTORS",
    "BuildingIndex",
    "BuildingRecord",
    "FacilityRecord",
    "OsmExtract",
    "OsmReadError",
    "ProgressCallback",
    "RoadRecord",
    "WaterRecord",
    "attach_footprints",
    "basemap_features",
    "classify",
    "display_name",
    "estimate_capacity",
    "facility_record",
    "geodesic_area_m2",
    "geojson_of",
    "parse_capacity",
    "read_osm",
]
