"""Building use classes: accommodation values are homes, specific others are not, ``yes`` is
unknown unless the building's own tags name another use."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from saqshy.algorithms.osm.assemble import assemble
from saqshy.algorithms.osm.layers import basemap_features
from saqshy.algorithms.osm.model import RawFeature
from saqshy.algorithms.osm.uses import OTHER, RESIDENTIAL, building_use


@pytest.mark.parametrize(
    ("tags", "use"),
    [
        ({"building": "apartments"}, RESIDENTIAL),
        ({"building": "house"}, RESIDENTIAL),
        ({"building": "dormitory"}, RESIDENTIAL),
        ({"building": "semidetached_house"}, RESIDENTIAL),
        ({"building": "Apartments "}, RESIDENTIAL),
        ({"building": "industrial"}, OTHER),
        ({"building": "garages"}, OTHER),
        ({"building": "school"}, OTHER),
        ({"building": "yes"}, ""),
        ({"building": "yes", "addr:housenumber": "12"}, ""),
        ({"building": "2"}, ""),
        ({"building": "yes", "shop": "supermarket"}, OTHER),
        ({"building": "yes", "amenity": "school"}, OTHER),
        ({"building": "yes", "amenity": "no"}, ""),
    ],
)
def test_building_use(tags: dict[str, str], use: str) -> None:
    assert building_use(tags) == use


def test_basemap_buildings_carry_use_only_when_known() -> None:
    features = [
        RawFeature("way/1", {"building": "apartments"}, box(0, 0, 0.001, 0.001)),
        RawFeature("way/2", {"building": "yes"}, box(0.002, 0, 0.003, 0.001)),
        RawFeature("way/3", {"building": "warehouse"}, box(0.004, 0, 0.005, 0.001)),
    ]
    extract = assemble(features, [], "test")
    props = [
        f["properties"] for f in basemap_features(extract) if f["properties"]["layer"] == "building"
    ]
    assert [p.get("use") for p in props] == [RESIDENTIAL, None, OTHER]
