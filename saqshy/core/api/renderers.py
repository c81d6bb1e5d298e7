"""``?format=geojson``: any list or detail with ``lat``/``lon`` as GeoJSON features."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import JSONRenderer


def to_feature(item: dict[str, Any]) -> dict[str, Any]:
    properties = {k: v for k, v in item.items() if k not in {"lat", "lon"}}
    lat, lon = item.get("lat"), item.get("lon")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None
    return {"type": "Feature", "id": item.get("id"), "geometry": geometry, "properties": properties}


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            return super().render(data, accepted_media_type, renderer_context)
        if isinstance(data, dict) and "results" in data:
            collection = {
                "type": "FeatureCollection",
                "count": data.get("count"),
                "count_exact": data.get("count_exact"),
                "next": data.get("next"),
                "previous": data.get("previous"),
                "features": [to_feature(item) for item in data["results"]],
            }
            return super().render(collection, accepted_media_type, renderer_context)
        if isinstance(data, list):
            features = [to_feature(item) for item in data]
            return super().render(
                {"type": "FeatureCollection", "features": features},
                accepted_media_type,
                renderer_context,
            )
        if isinstance(data, dict):
            return super().render(to_feature(data), accepted_media_type, renderer_context)
        return super().render(data, accepted_media_type, renderer_context)
