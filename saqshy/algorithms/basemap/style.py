"""Cartographic style of the offline basemap: colours, zoom thresholds and line widths.

The style is a light, low-contrast "operations" basemap in the spirit of OSM-Carto-light /
Positron: a pale warm background, pale blue water, light-grey buildings from z14, and roads
whose width and colour follow their OSM ``highway`` class so that the arterial network stays
readable at city zoom while the live-map overlays (incidents, units, zones) remain the most
saturated things on screen.

Everything here is plain data plus a few pure lookup functions so that the renderer stays
free of magic numbers and the look can be tuned in one place.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

RGB = tuple[int, int, int]

BACKGROUND: RGB = (246, 244, 240)
"""Land colour; also the colour of an empty tile."""

WATER_FILL: RGB = (174, 207, 224)
WATER_LINE: RGB = (160, 198, 218)
WATER_MIN_ZOOM = 0
WATER_LINE_MIN_ZOOM = 11
WATER_LINE_WIDTHS: tuple[tuple[int, float], ...] = ((11, 0.6), (13, 1.0), (15, 2.0), (18, 5.0))
WATER_MIN_AREA_PX = 2.0
"""Water polygons smaller than this many output pixels are skipped (they would be specks)."""

BUILDING_FILL: RGB = (224, 219, 211)
BUILDING_OUTLINE: RGB = (204, 197, 187)
BUILDING_MIN_ZOOM = 14
BUILDING_OUTLINE_MIN_ZOOM = 16
BUILDING_OPACITY_BY_ZOOM: tuple[tuple[int, float], ...] = ((14, 0.55), (15, 0.8), (16, 1.0))
"""Buildings fade in over z14-z16 so the first zoom with buildings is not a sudden grey wash."""

BOUNDARY_LINE: RGB = (140, 120, 160)
BOUNDARY_HALO: RGB = (196, 184, 212)
BOUNDARY_LINE_OPACITY = 0.85
BOUNDARY_HALO_OPACITY = 0.35
BOUNDARY_WIDTHS: tuple[tuple[int, float], ...] = ((4, 0.8), (10, 1.0), (14, 1.5), (18, 2.0))
BOUNDARY_HALO_WIDTHS: tuple[tuple[int, float], ...] = ((4, 0.0), (8, 2.0), (12, 4.0), (16, 6.0))
BOUNDARY_DASH_PX = (7.0, 4.0)
"""Dash and gap length in output pixels; the pattern is anchored to the line's own length so
it continues seamlessly from one tile to the next."""

MAX_ZOOM = 20
"""Highest zoom level the tile endpoint accepts."""

MARGIN_PX = 24
"""Extra output pixels queried and drawn around a tile; must exceed half the widest stroke."""


@dataclass(frozen=True, slots=True)
class RoadStyle:
    """How one road class is drawn.

    ``widths`` are (zoom, output-pixel width) stops interpolated geometrically in between, so
    widths roughly double per zoom level like the real ground width does.  Below
    ``casing_min_zoom`` the road is a single line in ``low_fill`` (white roads would vanish on
    the pale background); from that zoom on it gets a darker casing and the ``fill`` colour.
    """

    name: str
    rank: int
    min_zoom: int
    widths: tuple[tuple[int, float], ...]
    fill: RGB
    casing: RGB
    low_fill: RGB
    casing_min_zoom: int


ROAD_STYLES: tuple[RoadStyle, ...] = (
    RoadStyle(
        name="path",
        rank=0,
        min_zoom=15,
        widths=((15, 0.7), (16, 1.0), (18, 1.8), (20, 3.0)),
        fill=(206, 196, 182),
        casing=(206, 196, 182),
        low_fill=(206, 196, 182),
        casing_min_zoom=99,
    ),
    RoadStyle(
        name="service",
        rank=1,
        min_zoom=14,
        widths=((14, 0.6), (15, 1.0), (16, 2.2), (18, 6.0), (20, 16.0)),
        fill=(255, 255, 255),
        casing=(204, 197, 187),
        low_fill=(222, 217, 209),
        casing_min_zoom=16,
    ),
    RoadStyle(
        name="minor",
        rank=2,
        min_zoom=12,
        widths=((12, 0.6), (13, 0.9), (14, 1.7), (15, 2.8), (16, 5.0), (18, 12.0), (20, 32.0)),
        fill=(255, 255, 255),
        casing=(192, 184, 172),
        low_fill=(212, 206, 197),
        casing_min_zoom=15,
    ),
    RoadStyle(
        name="tertiary",
        rank=3,
        min_zoom=10,
        widths=((10, 0.6), (12, 1.2), (13, 1.8), (14, 3.0), (16, 6.5), (18, 15.0), (20, 38.0)),
        fill=(255, 255, 255),
        casing=(182, 173, 160),
        low_fill=(204, 196, 184),
        casing_min_zoom=14,
    ),
    RoadStyle(
        name="secondary",
        rank=4,
        min_zoom=9,
        widths=((9, 0.6), (11, 1.1), (12, 1.6), (14, 3.6), (16, 7.5), (18, 17.0), (20, 44.0)),
        fill=(250, 238, 186),
        casing=(196, 174, 118),
        low_fill=(228, 208, 150),
        casing_min_zoom=13,
    ),
    RoadStyle(
        name="primary",
        rank=5,
        min_zoom=8,
        widths=((8, 0.6), (10, 1.3), (12, 2.2), (14, 4.2), (16, 8.5), (18, 19.0), (20, 48.0)),
        fill=(250, 214, 146),
        casing=(204, 158, 88),
        low_fill=(236, 186, 112),
        casing_min_zoom=13,
    ),
    RoadStyle(
        name="trunk",
        rank=6,
        min_zoom=6,
        widths=((6, 0.6), (10, 1.5), (12, 2.5), (14, 4.8), (16, 9.5), (18, 21.0), (20, 54.0)),
        fill=(247, 190, 124),
        casing=(200, 136, 70),
        low_fill=(230, 156, 88),
        casing_min_zoom=13,
    ),
    RoadStyle(
        name="motorway",
        rank=7,
        min_zoom=5,
        widths=((5, 0.6), (10, 1.7), (12, 2.8), (14, 5.2), (16, 10.5), (18, 23.0), (20, 60.0)),
        fill=(240, 162, 110),
        casing=(190, 112, 64),
        low_fill=(222, 132, 80),
        casing_min_zoom=13,
    ),
)
"""Road classes in drawing order: lower ranks are drawn first and end up underneath."""

_CLASS_BY_HIGHWAY: dict[str, int] = {
    **dict.fromkeys(
        (
            "footway",
            "path",
            "cycleway",
            "pedestrian",
            "track",
            "steps",
            "bridleway",
            "corridor",
            "sidewalk",
            "crossing",
        ),
        0,
    ),
    **dict.fromkeys(("service", "services", "rest_area"), 1),
    **dict.fromkeys(("residential", "unclassified", "living_street", "road", "busway"), 2),
    "tertiary": 3,
    "secondary": 4,
    "primary": 5,
    "trunk": 6,
    "motorway": 7,
}

LINK_WIDTH_FACTOR = 0.7
"""``*_link`` ramps are drawn like their parent class but narrower."""


def road_class(highway: object) -> tuple[int, bool] | None:
    """Map an OSM ``highway`` value to (road-class rank, is-link), or None if not drawn.

    Values such as ``construction``, ``proposed`` or ``platform`` are not roads a dispatcher
    can use, so they are dropped rather than guessed.
    """
    if not isinstance(highway, str):
        return None
    key = highway.strip().lower()
    is_link = key.endswith("_link")
    if is_link:
        key = key[: -len("_link")]
    rank = _CLASS_BY_HIGHWAY.get(key)
    if rank is None:
        return None
    return rank, is_link


def interpolate(stops: tuple[tuple[int, float], ...], zoom: int) -> float:
    """Value of piecewise stops at ``zoom``: geometric in between, clamped at the ends.

    Geometric (log-linear) interpolation matches how ground distances scale with zoom; a
    zero endpoint falls back to linear interpolation.
    """
    if zoom <= stops[0][0]:
        return stops[0][1]
    for (z0, v0), (z1, v1) in itertools.pairwise(stops):
        if zoom <= z1:
            t = (zoom - z0) / (z1 - z0)
            if v0 > 0 and v1 > 0:
                return math.exp(math.log(v0) + t * (math.log(v1) - math.log(v0)))
            return v0 + t * (v1 - v0)
    return stops[-1][1]


def road_width(rank: int, zoom: int, *, is_link: bool = False) -> float:
    """Fill width in output pixels of a road class at a zoom (0 when the class is hidden)."""
    style = ROAD_STYLES[rank]
    if zoom < style.min_zoom:
        return 0.0
    width = interpolate(style.widths, zoom)
    return width * LINK_WIDTH_FACTOR if is_link else width


def casing_width(zoom: int) -> float:
    """Width in output pixels of the casing on each side of a cased road."""
    return 0.7 if zoom <= 14 else 0.9 if zoom == 15 else 1.0


def building_opacity(zoom: int) -> float:
    """Opacity of the building layer at a zoom (0 below ``BUILDING_MIN_ZOOM``)."""
    if zoom < BUILDING_MIN_ZOOM:
        return 0.0
    return interpolate(BUILDING_OPACITY_BY_ZOOM, zoom)
