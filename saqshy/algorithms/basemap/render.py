"""Render one XYZ raster tile (PNG) of the offline basemap from a :class:`BasemapIndex`.

Drawing happens at ``size * scale`` pixels with Pillow's ImageDraw and is then reduced by
``scale`` with a box filter (``Image.reduce``).  For supersampled vector graphics the box
filter *is* coverage anti-aliasing: each output pixel is the mean of its own ``scale x scale``
block and of nothing else.  That makes tiles seamless by construction (no resampling kernel
reaches across a tile edge, unlike LANCZOS, which also rings around thin dark lines) and is
several times cheaper.

Every layer is queried with a margin wider than half the widest stroke, and geometries much
larger than the padded tile are clipped to it, so a road crossing a tile edge is drawn with
exactly the same pixels on both sides.  Dash patterns are anchored to each line's own
length for the same reason.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from saqshy.algorithms.basemap import style
from saqshy.algorithms.basemap.index import (
    BasemapIndex,
    Bounds,
    GeomArray,
    Layer,
    tile_bounds,
    tile_size_m,
)

Flat = list[float]
"""A polyline or ring as a flat [x0, y0, x1, y1, ...] list in canvas pixels."""

MAX_SCALE = 8


@dataclass(frozen=True, slots=True)
class _Canvas:
    """Maps Web Mercator metres of one tile to supersampled canvas pixels."""

    minx: float
    maxy: float
    px_per_m: float
    size: int
    scale: int
    clip: Bounds

    def coords(self, parts: GeomArray) -> list[Flat]:
        """Pixel coordinates of each single-part geometry or ring, as flat lists."""
        if len(parts) == 0:
            return []
        xy = shapely.get_coordinates(parts)
        counts = shapely.get_num_coordinates(parts)
        px = np.empty_like(xy)
        px[:, 0] = (xy[:, 0] - self.minx) * self.px_per_m - 0.5
        px[:, 1] = (self.maxy - xy[:, 1]) * self.px_per_m - 0.5
        flat = px.ravel().tolist()
        ends = np.cumsum(counts) * 2
        return [flat[s:e] for s, e in zip((ends - counts * 2).tolist(), ends.tolist(), strict=True)]

    def fit(self, layer: Layer, idx: NDArray[np.intp]) -> GeomArray:
        """Geometries ``idx`` of ``layer``; those much larger than the tile clipped to it.

        Clipping keeps long roads and big water bodies from sending thousands of off-tile
        vertices to the rasteriser; small geometries are passed through untouched.
        """
        geoms = layer.geoms[idx]
        b = layer.bounds[idx]
        cminx, cminy, cmaxx, cmaxy = self.clip
        span = cmaxx - cminx
        big = (b[:, 2] - b[:, 0] > span) | (b[:, 3] - b[:, 1] > span)
        if big.any():
            geoms = geoms.copy()
            geoms[big] = shapely.clip_by_rect(geoms[big], cminx, cminy, cmaxx, cmaxy)
        return geoms


def _parts(geoms: GeomArray, kind: shapely.GeometryType) -> tuple[GeomArray, NDArray[np.intp]]:
    """Single parts of ``kind`` and the index of the geometry each came from.

    Clipping can leave degenerate pieces (a point where a line grazes the clip box), so
    parts of any other type are dropped.
    """
    parts, owner = shapely.get_parts(geoms, return_index=True)
    keep = shapely.get_type_id(parts) == kind
    return parts[keep], owner[keep]


def _blend(colour: style.RGB, opacity: float) -> style.RGB:
    """``colour`` at ``opacity`` over the background (thin lines are mostly over land)."""
    bg = style.BACKGROUND
    return (
        round(bg[0] + (colour[0] - bg[0]) * opacity),
        round(bg[1] + (colour[1] - bg[1]) * opacity),
        round(bg[2] + (colour[2] - bg[2]) * opacity),
    )


def _stroke(width_px: float, scale: int, colour: style.RGB) -> tuple[int, style.RGB]:
    """Canvas stroke width and colour for an output width; hairlines become faint 1 px lines."""
    if width_px < 1.0:
        return scale, _blend(colour, width_px)
    return max(1, round(width_px * scale)), colour


def _polyline(draw: ImageDraw.ImageDraw, xy: Flat, width: int, ink: style.RGB | int) -> None:
    """Stroke a polyline with round joins and round caps (butt caps notch at junctions)."""
    if width < 3:
        draw.line(xy, fill=ink, width=width)
        return
    draw.line(xy, fill=ink, width=width, joint="curve")
    r = width / 2.0
    for cx, cy in ((xy[0], xy[1]), (xy[-2], xy[-1])):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=ink)


def _fill_polygons(
    img: Image.Image, canvas: _Canvas, geoms: GeomArray, colour: style.RGB, opacity: float
) -> list[Flat]:
    """Fill polygons (holes left open) through a mask at ``opacity``; return all rings.

    Drawing into a mask, not onto the image, lets a hole reveal whatever is underneath and
    gives the whole layer one uniform opacity where its polygons overlap.
    """
    parts, _ = _parts(geoms, shapely.GeometryType.POLYGON)
    rings, owner = shapely.get_rings(parts, return_index=True)
    flats = canvas.coords(rings)
    exterior = np.ones(len(owner), dtype=bool)
    exterior[1:] = owner[1:] != owner[:-1]
    mask = Image.new("L", img.size, 0)
    draw = ImageDraw.Draw(mask)
    on = round(255 * opacity)
    for xy, is_exterior in zip(flats, exterior.tolist(), strict=True):
        if len(xy) >= 6:
            draw.polygon(xy, fill=on if is_exterior else 0)
    img.paste(colour, mask=mask)
    return flats


def _draw_water(img: Image.Image, canvas: _Canvas, index: BasemapIndex, z: int, res: float) -> None:
    """Water areas (islands as holes), then rivers and canals as lines."""
    areas = index.water_areas
    idx = areas.query(canvas.clip)
    idx = idx[areas.sizes[idx] >= style.WATER_MIN_AREA_PX * res * res]
    if len(idx):
        _fill_polygons(img, canvas, canvas.fit(areas, idx), style.WATER_FILL, 1.0)
    if z < style.WATER_LINE_MIN_ZOOM:
        return
    lines = index.water_lines
    idx = lines.query(canvas.clip)
    if len(idx):
        width, ink = _stroke(
            style.interpolate(style.WATER_LINE_WIDTHS, z), canvas.scale, style.WATER_LINE
        )
        draw = ImageDraw.Draw(img)
        parts, _ = _parts(canvas.fit(lines, idx), shapely.GeometryType.LINESTRING)
        for xy in canvas.coords(parts):
            _polyline(draw, xy, width, ink)


def _draw_buildings(img: Image.Image, canvas: _Canvas, index: BasemapIndex, z: int) -> None:
    """Light-grey building footprints from BUILDING_MIN_ZOOM, outlined at high zoom."""
    opacity = style.building_opacity(z)
    idx = index.buildings.query(canvas.clip) if opacity > 0 else np.empty(0, dtype=np.intp)
    if len(idx) == 0:
        return
    geoms = canvas.fit(index.buildings, idx)
    rings = _fill_polygons(img, canvas, geoms, style.BUILDING_FILL, opacity)
    if z >= style.BUILDING_OUTLINE_MIN_ZOOM:
        draw = ImageDraw.Draw(img)
        width = max(1, canvas.scale // 2)
        for xy in rings:
            draw.line(xy, fill=style.BUILDING_OUTLINE, width=width)


def _draw_roads(img: Image.Image, canvas: _Canvas, index: BasemapIndex, z: int) -> None:
    """All casings first, then all fills by class, so junctions merge instead of crossing."""
    roads = index.roads
    idx = roads.query(canvas.clip)
    if len(idx) == 0:
        return
    class_width = np.array([style.road_width(s.rank, z) for s in style.ROAD_STYLES])
    widths = class_width[roads.rank[idx]] * np.where(
        roads.is_link[idx], style.LINK_WIDTH_FACTOR, 1.0
    )
    keep = widths > 0
    idx, widths = idx[keep], widths[keep]
    if len(idx) == 0:
        return
    parts, owner = _parts(canvas.fit(roads, idx), shapely.GeometryType.LINESTRING)
    flats = canvas.coords(parts)
    ranks = roads.rank[idx][owner].tolist()
    part_widths = widths[owner].tolist()
    casing = style.casing_width(z)
    strokes: list[tuple[Flat, int, style.RGB, int, style.RGB | None]] = []
    for xy, rank, w in zip(flats, ranks, part_widths, strict=True):
        rs = style.ROAD_STYLES[rank]
        cased = z >= rs.casing_min_zoom
        fill_w, fill_ink = _stroke(w, canvas.scale, rs.fill if cased else rs.low_fill)
        if cased:
            case_w = max(fill_w + 2, round((w + 2 * casing) * canvas.scale))
            strokes.append((xy, fill_w, fill_ink, case_w, rs.casing))
        else:
            strokes.append((xy, fill_w, fill_ink, 0, None))
    draw = ImageDraw.Draw(img)
    for xy, _, _, case_w, case_ink in strokes:
        if case_ink is not None:
            _polyline(draw, xy, case_w, case_ink)
    for xy, fill_w, fill_ink, _, _ in strokes:
        _polyline(draw, xy, fill_w, fill_ink)


def _dashes(xy: Flat, phase: float, period: float, dash: float, clip: Bounds) -> list[Flat]:
    """Dash pieces of a polyline that starts ``phase`` pixels into the pattern, near ``clip``."""
    pts = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 2:
        return []
    a, b = pts[:-1], pts[1:]
    seg = np.hypot(*(b - a).T)
    start = phase + np.concatenate(([0.0], np.cumsum(seg)[:-1]))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    near = (
        (hi[:, 0] >= clip[0])
        & (lo[:, 0] <= clip[2])
        & (hi[:, 1] >= clip[1])
        & (lo[:, 1] <= clip[3])
    )
    pieces: list[Flat] = []
    for i in np.flatnonzero(near & (seg > 0)).tolist():
        s0, length = float(start[i]), float(seg[i])
        (ax, ay), (bx, by) = a[i].tolist(), b[i].tolist()
        k = math.floor(s0 / period)
        while k * period < s0 + length:
            t0 = max(k * period - s0, 0.0) / length
            t1 = min(k * period + dash - s0, length) / length
            if t1 > t0:
                pieces.append(
                    [
                        ax + (bx - ax) * t0,
                        ay + (by - ay) * t0,
                        ax + (bx - ax) * t1,
                        ay + (by - ay) * t1,
                    ]
                )
            k += 1
    return pieces


def _draw_boundaries(
    img: Image.Image, canvas: _Canvas, index: BasemapIndex, z: int, res: float
) -> None:
    """Region boundaries: a soft translucent halo under a dashed purple-grey line.

    Chunks are simplified to half a pixel but never clipped; the dash phase comes from each
    chunk's distance along its original line, so it is identical in every tile it crosses.
    """
    layer = index.boundaries
    idx = layer.query(canvas.clip)
    if len(idx) == 0:
        return
    geoms = shapely.simplify(layer.geoms[idx], res * 0.5, preserve_topology=False)
    flats = canvas.coords(geoms)
    phases = (layer.offsets[idx] * canvas.px_per_m).tolist()
    s = canvas.scale
    margin = style.MARGIN_PX * s
    near = (-margin, -margin, canvas.size * s + margin, canvas.size * s + margin)
    halo_w = style.interpolate(style.BOUNDARY_HALO_WIDTHS, z)
    if halo_w >= 1.0:
        mask = Image.new("L", img.size, 0)
        draw = ImageDraw.Draw(mask)
        for xy in flats:
            _polyline(draw, xy, round(halo_w * s), 255)
        img.paste(style.BOUNDARY_HALO, mask=mask.point(_opacity_lut(style.BOUNDARY_HALO_OPACITY)))
    mask = Image.new("L", img.size, 0)
    draw = ImageDraw.Draw(mask)
    line_w = max(1, round(style.interpolate(style.BOUNDARY_WIDTHS, z) * s))
    dash, gap = (v * s for v in style.BOUNDARY_DASH_PX)
    for xy, phase in zip(flats, phases, strict=True):
        for piece in _dashes(xy, phase, dash + gap, dash, near):
            draw.line(piece, fill=255, width=line_w)
    img.paste(style.BOUNDARY_LINE, mask=mask.point(_opacity_lut(style.BOUNDARY_LINE_OPACITY)))


@lru_cache(maxsize=8)
def _opacity_lut(opacity: float) -> list[int]:
    """Lookup table scaling an 8-bit mask by ``opacity``."""
    return [round(v * opacity) for v in range(256)]


@lru_cache(maxsize=8)
def empty_tile(size: int = 256) -> bytes:
    """PNG of a tile with no data: just the background colour (encoded once, then cached)."""
    return _encode(Image.new("RGB", (size, size), style.BACKGROUND))


def _encode(img: Image.Image) -> bytes:
    """PNG bytes; a fast zlib level, since tiles are cached downstream anyway."""
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=3)
    return buf.getvalue()


def _has_content(index: BasemapIndex, clip: Bounds, z: int) -> bool:
    """Cheap check whether anything at all may be drawn in ``clip`` at zoom ``z``."""
    layers: list[Layer] = [index.roads, index.water_areas, index.water_lines, index.boundaries]
    if style.building_opacity(z) > 0:
        layers.append(index.buildings)
    return any(len(layer.query(clip)) for layer in layers)


def render_tile(
    index: BasemapIndex, z: int, x: int, y: int, *, size: int = 256, scale: int = 2
) -> bytes:
    """PNG bytes of XYZ tile z/x/y (slippy-map scheme, y from the top, Web Mercator).

    ``size`` is the output edge in pixels and ``scale`` the supersampling factor used for
    anti-aliasing.  Raises ValueError for a tile that does not exist or z > MAX_ZOOM.
    """
    minx, miny, maxx, maxy = tile_bounds(z, x, y)
    if not 16 <= size <= 1024:
        raise ValueError(f"tile size={size} is outside 16..1024 pixels")
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"supersampling scale={scale} is outside 1..{MAX_SCALE}")
    res = tile_size_m(z) / size
    pad = style.MARGIN_PX * res
    clip = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    if not _has_content(index, clip, z):
        return empty_tile(size)
    canvas = _Canvas(minx, maxy, size * scale / tile_size_m(z), size, scale, clip)
    img = Image.new("RGB", (size * scale, size * scale), style.BACKGROUND)
    _draw_water(img, canvas, index, z, res)
    _draw_buildings(img, canvas, index, z)
    _draw_roads(img, canvas, index, z)
    _draw_boundaries(img, canvas, index, z, res)
    if scale > 1:
        img = img.reduce(scale)
    return _encode(img)
