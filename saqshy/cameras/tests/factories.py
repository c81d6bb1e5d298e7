"""Cameras for tests: a calibrated camera at a venue with a watched square of a known size."""

from __future__ import annotations

import math
from typing import Any

from saqshy.accounts.models import Agency, Region
from saqshy.cameras.models import Camera
from saqshy.core.testing.geography import CENTRES
from saqshy.facilities.models import Facility


def square(lat: float, lon: float, side_m: float) -> dict[str, Any]:
    """A GeoJSON square of ``side_m`` metres centred on (lat, lon)."""
    dlat = side_m / 2 / 111_320.0
    dlon = side_m / 2 / (111_320.0 * math.cos(math.radians(lat)))
    ring = [
        [lon - dlon, lat - dlat],
        [lon + dlon, lat - dlat],
        [lon + dlon, lat + dlat],
        [lon - dlon, lat + dlat],
        [lon - dlon, lat - dlat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def calibration_for(lat: float, lon: float, side_m: float = 10) -> dict[str, Any]:
    area = square(lat, lon, side_m)["coordinates"][0][:4]
    return {"image": [[100, 600], [1200, 600], [900, 200], [300, 200]], "ground": area}


def owner(region: Region) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=f"police-{region.slug}",
        defaults={"kind": "police", "region": region, "name_en": "Police"},
    )
    return agency


def venue(region: Region, name: str = "Square", **fields: Any) -> Facility:
    lat, lon = CENTRES[region.slug]
    defaults: dict[str, Any] = {"kind": "stadium", "lat": lat, "lon": lon, "region": region}
    defaults.update(fields)
    return Facility.objects.create(name=name, address=f"{name} street 1", **defaults)


def make_camera(region: Region, name: str = "Camera", side_m: float = 10, **fields: Any) -> Camera:
    """A camera at the region's centre watching a ``side_m`` square (100 m² by default)."""
    lat, lon = CENTRES[region.slug]
    lat, lon = fields.pop("lat", lat), fields.pop("lon", lon)
    defaults: dict[str, Any] = {
        "name": name,
        "region": region,
        "lat": lat,
        "lon": lon,
        "address": f"{name}, Main square",
        "owner": owner(region),
        "watched_area": square(lat, lon, side_m),
        "calibration": calibration_for(lat, lon, side_m),
    }
    defaults.update(fields)
    return Camera.objects.create(**defaults)
