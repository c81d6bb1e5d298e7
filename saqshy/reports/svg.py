"""Small pure SVG drawings for the report's PDF and page: a horizontal bar chart and the
region's outline with points. Text is escaped; nothing here runs script."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

WIDTH = 640


def bar_chart(rows: Sequence[tuple[str, float]], *, colour: str = "#3182bd") -> str:
    """Horizontal bars, one per (label, value), value written at the bar's end."""
    if not rows:
        return ""
    bar, gap, label_w = 18, 6, 240
    height = len(rows) * (bar + gap) + gap
    top = max((value for _label, value in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="sans-serif" font-size="11">'
    ]
    span = WIDTH - label_w - 50
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar + gap)
        length = max(1.0, span * value / top) if value else 0.0
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + bar - 5}">{value:g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _rings(geometry: dict[str, Any] | None) -> list[list[list[float]]]:
    if not geometry:
        return []
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    if kind == "Feature":
        return _rings(geometry.get("geometry"))
    return []


def region_map(
    boundary: dict[str, Any] | None,
    points: Iterable[tuple[float, float]],
    *,
    size: int = 360,
    colour: str = "#d7301f",
) -> str:
    """The region's outline (GeoJSON Polygon/MultiPolygon) with ``(lat, lon)`` points as dots,
    in an equirectangular projection scaled by the cosine of the mid latitude."""
    rings = _rings(boundary)
    if not rings:
        return ""
    xs = [p[0] for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squeeze, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = (size - 20) / max(span_x, span_y)
    width = span_x * scale + 20
    height = span_y * scale + 20

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return 10 + (lon - west) * squeeze * scale, 10 + (north - lat) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img">'
    ]
    for ring in rings:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(p[0], p[1]) for p in ring))
        parts.append(f'<polygon points="{path}" fill="#f0f0f0" stroke="#636363" stroke-width="1"/>')
    for lat, lon in points:
        x, y = xy(lon, lat)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" stroke="#fff" '
            'stroke-width="1"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
